import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { StevedoreError } from '../../errors.js';
import { ensureHolder, insideHolder } from './namespaceHolder.js';
import type { RootlessHost } from './rootlessHost.js';

/** Set in the environment of a command that joined a holder: its pid, and why rootless runs (for `info`). */
export const HOLDER_ENV = 'STEVEDORE_ROOTLESS_HOLDER';
export const REASON_ENV = 'STEVEDORE_ROOTLESS_REASON';
/** The pid of the command that re-ran this one inside the holder (runInsideHolder), which only waits for it. */
const OUTER_ENV = 'STEVEDORE_ROOTLESS_OUTER';

/**
 * Whether this process already runs in the user namespace of the holder its environment names:
 * a command re-run by `runInsideHolder`, or anything those start (conmon's exit command, `rm -rf`
 * of a removed container). The namespace is compared, not just the variable, so a stale export in
 * a shell does not count.
 */
export function joinedHolder(env: NodeJS.ProcessEnv = process.env): boolean {
  const pid = Number(env[HOLDER_ENV]);
  return Number.isInteger(pid) && pid > 0 && process.getuid?.() === 0 && insideHolder(pid);
}

/**
 * Runs this same command again inside the store's holder (started if need be) and ends this
 * process with its exit code, as podman re-executes itself into its pause process's namespaces.
 * The command inherits the terminal, so -i, -t and Ctrl-C reach it directly; this process only
 * waits (it ignores SIGINT, which the terminal sends both). Never returns.
 */
export function runInsideHolder(root: string, host: RootlessHost, reason: string): never {
  const holder = ensureHolder(root, host);
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  const r = spawnSync(
    'nsenter',
    [
      '--target',
      String(holder.pid),
      '--user',
      '--mount',
      // One id only: setgroups is denied in such a namespace (unshare writes "deny"), and this
      // process's uid and gid are already the namespace's root, so they are kept as they are.
      ...(host.range ? [] : ['--preserve-credentials']),
      `--wd=${process.cwd()}`,
      '--',
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    {
      stdio: 'inherit',
      env: { ...process.env, [HOLDER_ENV]: String(holder.pid), [REASON_ENV]: reason, [OUTER_ENV]: String(process.pid) },
    },
  );
  if (r.error) {
    // The caller may go on (the launcher falls back to the CLI): Ctrl-C must work there again.
    process.off('SIGINT', ignore);
    throw new StevedoreError('INTERNAL', `cannot enter the rootless namespace: ${r.error.message}`);
  }
  // Killed by a signal: the shell's 128 + its number.
  process.exit(r.status ?? 128 + (r.signal ? constants.signals[r.signal] : 9));
}

/**
 * In a command runInsideHolder re-ran: it ends when the command that ran it ends. That one only
 * waits (spawnSync), so a SIGTERM sent to it (a parent stopping `stevedore ui`) would end it alone
 * and leave this one running without it, holding the parent's pipes. PR_SET_PDEATHSIG would do
 * this, but Node has no call for it and entering a user namespace clears it; so this process
 * watches its parent and, once it is gone, terminates itself as that SIGTERM would have.
 */
export function followOuterCommand(env: NodeJS.ProcessEnv = process.env): void {
  const outer = Number(env[OUTER_ENV]);
  delete env[OUTER_ENV];
  if (!Number.isInteger(outer) || outer <= 1 || process.ppid !== outer) return;
  const watch = setInterval(() => {
    if (process.ppid === outer) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  watch.unref();
}
