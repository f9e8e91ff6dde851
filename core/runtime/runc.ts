import type { ExecFileException } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { StevedoreError } from '../errors.js';
import { type CommandEnd, commandEnd } from '../system/commandEnd.js';

/** runc's state for Stevedore's containers, apart from podman's and others' (/run/runc). */
export const RUNC_ROOT = '/run/stevedore/runc';

/** runc's global options: its state directory, and `--rootless true` in a user namespace (core/runtime/rootless). */
let globalOptions = ['--root', RUNC_ROOT];

/** Where this process's runc keeps state, and whether it runs rootless: set once, by the rootless runtime. */
export function configureRunc(options: { root: string; rootless: boolean }): void {
  globalOptions = ['--root', options.root, ...(options.rootless ? ['--rootless', 'true'] : [])];
}

const OCI_RUNTIMES = ['runc', 'crun'] as const;
export type OciRuntime = (typeof OCI_RUNTIMES)[number];

/**
 * The OCI runtime program containers are run with: runc, or crun where $STEVEDORE_OCI_RUNTIME
 * says so. The machine's guest has crun (core/vm): a C program starts there in a fraction of
 * the time Go's runc takes under emulation. Both take the same commands, options and bundle;
 * what differs (their error words, crun having no `events`) is handled where it is read.
 */
export function ociRuntime(env: NodeJS.ProcessEnv = process.env): OciRuntime {
  const asked = env.STEVEDORE_OCI_RUNTIME;
  if (asked === undefined || asked === '') return 'runc';
  if (!(OCI_RUNTIMES as readonly string[]).includes(asked))
    throw new StevedoreError('INVALID_ARGUMENT', `invalid STEVEDORE_OCI_RUNTIME "${asked}": use runc or crun`);
  return asked as OciRuntime;
}

/** The OCI runtime's absolute path (conmon wants one), from PATH and the sbin directories root's PATH has. */
export function runcPath(): string {
  const name = ociRuntime();
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  throw new StevedoreError('NOT_FOUND', `${name} is not installed (Debian: apt-get install ${name})`);
}

export function runcArgs(...args: string[]): string[] {
  return [...globalOptions, ...args];
}

/** Runs `runc --root … ARGS` to its end, awaited: a long-lived engine goes on serving meanwhile. */
function runcEnd(args: string[]): Promise<CommandEnd> {
  return commandEnd(ociRuntime(), runcArgs(...args));
}

/** Runs `runc --root … ARGS`; its error (logfmt `msg="…"`) becomes one sentence. */
export async function runc(args: string[], what: string): Promise<void> {
  await runcOutput(args, what);
}

/** runc, for what it prints (`ps --format json`). */
export async function runcOutput(args: string[], what: string): Promise<string> {
  const r = await runcEnd(args);
  if (r.error) throw new StevedoreError('INTERNAL', notRunToEnd(r.error, r.stderr, what));
  if (r.status !== 0) throw new StevedoreError('INTERNAL', `${what}: ${runcMessage(r.stderr)}`);
  return r.stdout;
}

/** Why runc did not end with a status: it is not there, or a signal ended it (what it said, if anything). */
function notRunToEnd(error: ExecFileException, stderr: string, what: string): string {
  const name = ociRuntime();
  if (error.code === 'ENOENT') return `cannot run ${name}: it is not installed (Debian: apt-get install ${name})`;
  const said = stderr.trim() === '' ? '' : `: ${runcMessage(stderr)}`;
  if (error.signal) return `${what}: ${name} was ended by ${error.signal}${said}`;
  return `cannot run ${name}: ${error.message}`;
}

/**
 * How many times `runc pause` is tried. On cgroup v1 the kernel's freezer may not settle while
 * the machine is very busy: runc gives up with "unable to freeze" after its own retries and thaws
 * the cgroup again, calling it "a game of chances" that only cgroup v2 fixes. Another try starts
 * from a thawed container, as the first did.
 */
const PAUSE_ATTEMPTS = 5;

/** `runc pause ID`, tried again while runc reports cgroup v1's freezer race. */
export async function runcPause(id: string, what: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await runc(['pause', id], what);
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
export async function tryRunc(...args: string[]): Promise<boolean> {
  return (await runcEnd(args)).status === 0;
}

/** The sentence in runc's logfmt error output (`level=error msg="…"`), or the output as it is. */
export function runcMessage(stderr: string): string {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(stderr);
  return (m ? m[1]!.replace(/\\(.)/g, '$1') : stderr).trim();
}
