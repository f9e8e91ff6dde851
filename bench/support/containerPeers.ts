import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runProgram } from '../timing.js';
import { kibField, statusKiB } from './peakMemory.js';

/** Blocks this process for `ms`: cleanup also runs from a SIGINT handler, where nothing asynchronous gets to run. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * podman with a storage, run root and libpod tmpdir of its own under `dir`, so the user's podman
 * containers and images are neither seen nor touched. Its network is podman's default (as root:
 * the CNI bridge `podman`), which lives in the system's CNI configuration.
 */
export class PodmanSandbox {
  private readonly global: string[];

  constructor(readonly dir: string) {
    this.global = ['--root', join(dir, 'root'), '--runroot', join(dir, 'runroot'), '--tmpdir', join(dir, 'tmp')];
  }

  run(args: string[]): string {
    return runProgram('podman', [...this.global, ...args]);
  }

  /** The full command line for `args`, for launching many at once. */
  argv(args: string[]): string[] {
    return ['podman', ...this.global, ...args];
  }

  /**
   * `podman pull oci:LAYOUT:REF`; returns the image ID. podman names such an image after the
   * layout's path, which must then be lowercase: a temp dir's is not, so the path given is relative.
   */
  pullLayout(layout: string, ref: string): string {
    const r = spawnSync('podman', [...this.global, 'pull', '--quiet', `oci:${basename(layout)}:${ref}`], {
      cwd: dirname(layout),
      encoding: 'utf8',
    });
    const id = r.stdout?.trim() ?? '';
    if (r.status !== 0 || !/^[0-9a-f]{64}$/.test(id)) {
      throw new Error(`podman pull oci:${layout}:${ref} failed: ${r.stderr?.trim() || r.error?.message || id}`);
    }
    return id;
  }

  /** podman's default network as it describes it, e.g. `"podman": bridge cni-podman0, 10.88.0.0/16 (cni backend)`. */
  describeDefaultNetwork(): string {
    const backend = this.run(['info', '--format', '{{.Host.NetworkBackend}}']).trim();
    const [driver, device, ...subnets] = this.run([
      'network',
      'inspect',
      'podman',
      '--format',
      '{{.Driver}} {{.NetworkInterface}} {{range .Subnets}}{{.Subnet}} {{end}}',
    ])
      .trim()
      .split(/\s+/);
    return `"podman": ${driver} ${device}, ${subnets.join(' ')} (${backend} backend)`;
  }

  /** Every container force-removed at once (no stop grace), then its storage unmounted. Never throws. */
  cleanUp(): string[] {
    const problems: string[] = [];
    if (!existsSync(this.dir)) return problems;
    const rm = spawnSync('podman', [...this.global, 'rm', '--force', '--time', '0', '--all'], { encoding: 'utf8' });
    if (rm.status !== 0) problems.push(`podman rm -fa: ${rm.stderr.trim() || rm.error?.message}`);
    const left = spawnSync('podman', [...this.global, 'ps', '-aq'], { encoding: 'utf8' });
    if (left.stdout?.trim()) problems.push(`podman containers left: ${left.stdout.trim().split('\n').length}`);
    problems.push(...unmountUnder(this.dir));
    return problems;
  }
}

/**
 * An OCI bundle for bare `runc run`: `rootfs` (filled by the caller) and config.json as `runc spec`
 * writes it, with `args` as the process, no terminal, and no rlimits (this machine refuses raising
 * them, and Stevedore's spec sets none either).
 */
export function makeRuncBundle(bundle: string, args: string[]): void {
  mkdirSync(bundle, { recursive: true });
  runProgram('runc', ['spec', '--bundle', bundle]);
  const file = join(bundle, 'config.json');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { process: { args: string[]; terminal: boolean; rlimits?: unknown } };
  spec.process.args = args;
  spec.process.terminal = false;
  delete spec.process.rlimits;
  writeFileSync(file, JSON.stringify(spec, null, 2));
}

/** runc containers still known under a runc state root, force-deleted; returns what was left. */
export function deleteRuncLeftovers(stateRoot: string): string[] {
  if (!existsSync(stateRoot)) return [];
  const list = spawnSync('runc', ['--root', stateRoot, 'list', '--quiet'], { encoding: 'utf8' });
  const ids = (list.stdout ?? '').split('\n').filter(Boolean);
  for (const id of ids) spawnSync('runc', ['--root', stateRoot, 'delete', '--force', id], { stdio: 'ignore' });
  return ids;
}

export interface ProcessMemory {
  /** Resident set: every page mapped in, shared libraries counted in full. */
  rssKiB: number;
  /** Proportional set: shared pages divided among the processes sharing them. */
  pssKiB: number;
}

export function processMemory(pid: number): ProcessMemory {
  return {
    rssKiB: statusKiB(pid, 'VmRSS'),
    pssKiB: kibField(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss'),
  };
}

export function meanMemory(samples: ProcessMemory[]): ProcessMemory {
  const mean = (f: (m: ProcessMemory) => number) => samples.reduce((a, m) => a + f(m), 0) / samples.length;
  return { rssKiB: mean((m) => m.rssKiB), pssKiB: mean((m) => m.pssKiB) };
}

export function formatMemory(m: ProcessMemory): string {
  return `RSS ${(m.rssKiB / 1024).toFixed(2)} MiB, PSS ${(m.pssKiB / 1024).toFixed(2)} MiB`;
}

export function isAlive(pid: number): boolean {
  return existsSync(`/proc/${pid}/stat`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** The process's command line, words joined by spaces ('' if it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** Live processes whose command line mentions `text` (e.g. a store root: conmon and its exit command name it). */
export function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid)
    .map(Number)
    .filter((pid) => commandLine(pid).includes(text) && isAlive(pid));
}

function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** Unmounts everything mounted at or below `dir`, deepest first; returns what would not go. Never throws. */
export function unmountUnder(dir: string): string[] {
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''))
    .filter((p) => p === dir || p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  const stuck: string[] = [];
  for (const point of points) {
    if (spawnSync('umount', [point], { stdio: 'ignore' }).status === 0) continue;
    if (spawnSync('umount', ['--lazy', point], { stdio: 'ignore' }).status !== 0) stuck.push(`cannot unmount ${point}`);
  }
  return stuck;
}

export interface Launched {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
  /** From the launch of the first process to this one's end. */
  endedAfterMs: number;
}

/** Starts every command at once and resolves when all have ended. */
export function launchAll(commands: string[][]): Promise<Launched[]> {
  const start = performance.now();
  return Promise.all(
    commands.map(
      (argv) =>
        new Promise<Launched>((resolve) => {
          const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          child.stdout.setEncoding('utf8').on('data', (c: string) => {
            stdout += c;
          });
          child.stderr.setEncoding('utf8').on('data', (c: string) => {
            stderr += c;
          });
          child.on('error', (err) => {
            stderr += err.message;
          });
          child.on('close', (code, signal) =>
            resolve({ argv, code: code ?? (signal ? 128 : -1), stdout, stderr, endedAfterMs: performance.now() - start }),
          );
        }),
    ),
  );
}
