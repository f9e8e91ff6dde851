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

/**
 * How many times `runc pause` is tried. On cgroup v1 the kernel's freezer may not settle while
 * the machine is very busy: runc gives up with "unable to freeze" after its own retries and thaws
 * the cgroup again, calling it "a game of chances" that only cgroup v2 fixes. Another try starts
 * from a thawed container, as the first did.
 */
const PAUSE_ATTEMPTS = 5;

/** `runc pause ID`, tried again while runc reports cgroup v1's freezer race. */
export function runcPause(id: string, what: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      runc(['pause', id], what);
      return;
    } catch (err) {
      if (attempt >= PAUSE_ATTEMPTS || !isFreezerRace(err)) throw err;
    }
  }
}

/** runc's words when cgroup v1's freezer did not settle (libcontainer/cgroups/fs/freezer.go). */
export function isFreezerRace(err: unknown): boolean {
  return err instanceof StevedoreError && /unable to freeze$/.test(err.message);
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
