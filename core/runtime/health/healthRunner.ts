import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ContainerRecord, containerPaths } from '../containerRecord.js';
import { runcArgs } from '../runc.js';
import { STARTING, writeHealth } from './healthFile.js';

/**
 * Starts the health checks of a run that has just started, when it has a check. Without a daemon
 * something must run them while the container runs: a detached shell loop per container, spawned
 * like conmon and as small (a shell, not a Node process of ~40 MB), that sleeps the interval and
 * runs `CHECK ID STARTED` (the CLI's `container-healthcheck`), which execs the check in the
 * container and writes `health.json`. It answers non-zero once that run has ended (or the
 * container is gone, or started again: a new run has its own loop), and the loop ends with it.
 * `check` is `stevedore --root R container-healthcheck`; runc's own options (its state directory,
 * rootless) follow the `--`, so a check finds the container where this process's runc keeps it.
 */
export function startHealthChecks(root: string, record: ContainerRecord, check: string[]): void {
  const healthcheck = record.config.healthcheck;
  const startedAt = record.state.startedAt;
  if (!healthcheck || !startedAt) return;
  writeHealth(containerPaths(root, record.id).dir, STARTING);
  const seconds = (healthcheck.intervalMs / 1000).toFixed(3);
  const loop = 'while sleep "$0"; do "$@" || exit 0; done';
  const runner = spawn('/bin/sh', ['-c', loop, seconds, ...check, record.id, startedAt, '--', ...runcArgs()], {
    detached: true,
    stdio: 'ignore',
  });
  runner.unref();
  if (runner.pid) writeFileSync(runnerPidFile(root, record.id), `${runner.pid}`);
}

function runnerPidFile(root: string, id: string): string {
  return join(containerPaths(root, id).dir, 'health.pid');
}

/**
 * Ends a run's checks when its end is recorded: the loop may be asleep for its whole interval,
 * so it is not left to notice. Its process group (the shell, its sleep, a check under way) is
 * killed, once /proc says that pid is still this container's loop (a pid can be reused).
 */
export function stopHealthChecks(root: string, id: string): void {
  const file = runnerPidFile(root, id);
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8'));
    rmSync(file, { force: true });
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (!args.includes('container-healthcheck') || !args.includes(id)) return;
    process.kill(-pid, 'SIGKILL');
  } catch {
    // no loop, or it ended already
  }
}
