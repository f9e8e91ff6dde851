import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StevedoreError } from '../errors.js';

/** A container's counters as `runc events --stats` gives them (libcontainer's Stats), the part read. */
export interface RuntimeStats {
  cpu?: { usage?: { total?: number } };
  memory?: { usage?: { usage?: number; limit?: number }; raw?: Record<string, number> };
  pids?: { current?: number };
  blkio?: { ioServiceBytesRecursive?: { op: string; value: number }[] | null };
}

/** `KEY VALUE` lines (cpu.stat, memory.stat) as numbers. */
function keyedNumbers(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.split(' ');
    if (key && value !== undefined) out[key] = Number(value);
  }
  return out;
}

/** io.stat's bytes read and written, over all devices: `MAJ:MIN rbytes=N wbytes=N rios=N …` lines. */
function ioBytes(text: string): { op: string; value: number }[] {
  let read = 0;
  let write = 0;
  for (const match of text.matchAll(/\b([rw])bytes=(\d+)/g)) {
    if (match[1] === 'r') read += Number(match[2]);
    else write += Number(match[2]);
  }
  return [
    { op: 'read', value: read },
    { op: 'write', value: write },
  ];
}

/** The counters in one cgroup v2 directory; a file missing (a controller not enabled there) counts nothing. */
export function cgroupStatsAt(dir: string): RuntimeStats {
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file), 'utf8').trim();
    } catch {
      return '';
    }
  };
  const max = read('memory.max');
  return {
    cpu: { usage: { total: (keyedNumbers(read('cpu.stat')).usage_usec ?? 0) * 1000 } },
    memory: {
      usage: { usage: Number(read('memory.current')) || 0, limit: max === '' || max === 'max' ? 0 : Number(max) },
      raw: keyedNumbers(read('memory.stat')),
    },
    pids: { current: Number(read('pids.current')) || 0 },
    blkio: { ioServiceBytesRecursive: ioBytes(read('io.stat')) },
  };
}

/**
 * A container's counters from its cgroup v2 files, for a runtime without `events` (crun): its
 * cgroup is its first process's (the `0::PATH` line of /proc/PID/cgroup).
 */
export function cgroupV2Stats(pid: number | null): RuntimeStats {
  let line: string | undefined;
  try {
    line = pid
      ? readFileSync(`/proc/${pid}/cgroup`, 'utf8')
          .split('\n')
          .find((l) => l.startsWith('0::'))
      : undefined;
  } catch {
    // gone
  }
  if (!line) throw new StevedoreError('INTERNAL', "cannot read the container's counters: its process is gone");
  return cgroupStatsAt(join('/sys/fs/cgroup', line.slice(3)));
}
