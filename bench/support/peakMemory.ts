import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** GNU time (Debian's `time` package): the one portable way to a finished program's peak RSS. */
const GNU_TIME = '/usr/bin/time';

/** A `Name:  1234 kB` line of a /proc file (status, smaps_rollup), in KiB. */
export function kibField(text: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!m) throw new Error(`no ${field} line`);
  return Number(m[1]);
}

/** VmRSS or VmHWM of /proc/PID/status, in KiB. */
export function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return kibField(readFileSync(`/proc/${pid}/status`, 'utf8'), field);
}

/**
 * Runs `command` to its end and returns the most memory it had resident at once (KiB): its
 * maximum RSS, as the kernel kept it for the process and GNU time reads it back (wait4's rusage).
 * A failing command throws with what it said.
 */
export function peakRssKiB(command: string, args: string[], env?: NodeJS.ProcessEnv): number {
  const dir = mkdtempSync(join(tmpdir(), 'peak-'));
  const out = join(dir, 'rss');
  try {
    const result = spawnSync(GNU_TIME, ['-f', '%M', '-o', out, command, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      ...(env ? { env } : {}),
    });
    if (result.error) throw new Error(`${GNU_TIME} could not run (Debian: apt-get install time): ${result.error.message}`);
    if (result.status !== 0) {
      throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.trim() || `exit code ${result.status}`}`);
    }
    const kib = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
    if (!Number.isFinite(kib) || kib <= 0) throw new Error(`${GNU_TIME} gave no peak for ${command}`);
    return kib;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatMiB(kib: number): string {
  return `${Math.round(kib / 1024)} MiB`;
}
