import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { StevedoreError } from '../errors.js';

/** runc's state for Stevedore's containers, apart from podman's and others' (/run/runc). */
export const RUNC_ROOT = '/run/stevedore/runc';

/** runc's global options: its state directory, and `--rootless true` in a user namespace (core/runtime/rootless). */
let globalOptions = ['--root', RUNC_ROOT];

/** Where this process's runc keeps state, and whether it runs rootless: set once, by the rootless runtime. */
export function configureRunc(options: { root: string; rootless: boolean }): void {
  globalOptions = ['--root', options.root, ...(options.rootless ? ['--rootless', 'true'] : [])];
}

/** runc's absolute path (conmon wants one), from PATH and the sbin directories root's PATH has. */
export function runcPath(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, 'runc'), constants.X_OK);
      return join(dir, 'runc');
    } catch {
      // not here
    }
  }
  throw new StevedoreError('NOT_FOUND', 'runc is not installed (Debian: apt-get install runc)');
}

export function runcArgs(...args: string[]): string[] {
  return [...globalOptions, ...args];
}

/** Runs `runc --root … ARGS`; its error (logfmt `msg="…"`) becomes one sentence. */
export function runc(args: string[], what: string): void {
  const r = spawnSync('runc', runcArgs(...args), { encoding: 'utf8' });
  if (r.error) throw new StevedoreError('INTERNAL', `cannot run runc (is it installed?): ${r.error.message}`);
  if (r.status !== 0) throw new StevedoreError('INTERNAL', `${what}: ${runcMessage(r.stderr)}`);
}

/** Runs `runc --root … ARGS` where failing is fine (a container already gone); whether it worked. */
export function tryRunc(...args: string[]): boolean {
  return spawnSync('runc', runcArgs(...args), { stdio: 'ignore' }).status === 0;
}

/** The sentence in runc's logfmt error output (`level=error msg="…"`), or the output as it is. */
export function runcMessage(stderr: string): string {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(stderr);
  return (m ? m[1]!.replace(/\\(.)/g, '$1') : stderr).trim();
}
