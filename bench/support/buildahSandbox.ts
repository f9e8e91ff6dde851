import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { unmountUnder } from './containerPeers.js';

/** What a finished program printed; `code` 0 unless `captured` was told to allow failure. */
export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end and keeps both streams; throws with its stderr (or stdout) when it fails. */
export function captured(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Captured {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  const result = { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (result.code !== 0) {
    const why = r.error?.message ?? (result.stderr.trim() || result.stdout.trim() || `exit code ${r.status ?? r.signal}`);
    throw new Error(`${argv.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')} failed: ${why}`);
  }
  return result;
}

/**
 * Debian's buildah with a storage of its own under `dir` (its default driver, overlay, like the
 * store Stevedore builds on), so the user's images and containers are neither seen nor touched.
 * RUN steps in runc with no raised rlimits (this sandbox refuses raising them); the network for
 * RUN is buildah's default (as root: the CNI bridge `podman`).
 */
export class BuildahSandbox {
  private readonly global: string[];

  constructor(
    readonly dir: string,
    readonly driver = 'overlay',
  ) {
    mkdirSync(dir, { recursive: true });
    this.global = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--storage-driver', driver];
  }

  /** The full command line for `buildah ARGS`. */
  argv(args: string[]): string[] {
    return ['buildah', ...this.global, ...args];
  }

  run(args: string[], options: { cwd?: string } = {}): Captured {
    return captured(this.argv(args), options);
  }

  /**
   * The image in an OCI layout, named `name`. buildah names an image pulled from a layout after
   * the layout's path, which must then be lowercase: a temp dir's is not, so the path is relative.
   */
  importLayout(layout: string, ref: string, name: string): void {
    const id = this.run(['pull', '--quiet', `oci:${basename(layout)}:${ref}`], { cwd: dirname(layout) }).stdout.trim();
    if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`buildah pull oci:${layout}:${ref} printed no image ID: ${id}`);
    this.run(['tag', id, name]);
  }

  /** `buildah bud` as this machine needs it (runc, OCI isolation, rlimits left as they are), with `flags`. */
  budArgv(context: string, flags: string[]): string[] {
    return this.argv([
      'bud',
      '--runtime',
      'runc',
      '--isolation',
      'oci',
      '--ulimit',
      'nofile=1024:1024',
      '--ulimit',
      'nproc=1024:1024',
      ...flags,
      context,
    ]);
  }

  /** Every working container removed, the storage unmounted and deleted. Never throws; returns what went wrong. */
  cleanUp(): string[] {
    const problems: string[] = [];
    if (!existsSync(this.dir)) return problems;
    const rm = spawnSync('buildah', [...this.global, 'rm', '--all'], { encoding: 'utf8' });
    if (rm.status !== 0) problems.push(`buildah rm --all: ${rm.stderr?.trim() || rm.error?.message}`);
    // Removing the images first lets containers/storage unmount and forget its layers itself.
    spawnSync('buildah', [...this.global, 'rmi', '--all', '--force'], { stdio: 'ignore' });
    problems.push(...unmountUnder(this.dir));
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch (err) {
      problems.push(`deleting buildah's storage: ${(err as Error).message}`);
    }
    return problems;
  }
}
