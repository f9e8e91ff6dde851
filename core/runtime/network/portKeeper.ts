import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NETWORK_STATE_DIR } from './leaseStore.js';
import type { PortHold } from './portHold.js';

/**
 * A detached container's published ports are held by a process of their own, as docker's
 * docker-proxy holds them, rather than by conmon: conmon lets go of what it inherited when the
 * container ends, before its exit command has removed the DNAT rules (the exit command waits for
 * the store's lock, a Node start besides). In that window the kernel hands the port to the next
 * listen(0) on the host, and the stale rule sends that program's connections to the dead
 * container. The keeper is a `sleep infinity` with the listening sockets; the network's teardown
 * kills it once the rules are gone.
 */
const KEEPERS_DIR = join(NETWORK_STATE_DIR, 'port-keepers');
/** argv[0] of a keeper, so a pid found in the file is killed only while it is still ours. */
const marker = (leaseId: string) => `stevedore-ports-${leaseId}`;
const pidFile = (leaseId: string) => join(KEEPERS_DIR, `${leaseId}.pid`);

/** Passes `hold`'s sockets to a keeper for the lease, and closes this process's copies. */
export function startPortKeeper(leaseId: string, hold: PortHold): void {
  const fds = hold.descriptors();
  if (fds.length === 0) {
    hold.release();
    return;
  }
  const keeper = spawn('sleep', ['infinity'], {
    argv0: marker(leaseId),
    stdio: ['ignore', 'ignore', 'ignore', ...fds],
    detached: true,
  });
  keeper.unref();
  hold.release();
  mkdirSync(KEEPERS_DIR, { recursive: true });
  if (keeper.pid) writeFileSync(pidFile(leaseId), `${keeper.pid}`);
}

/** Ends the lease's keeper, if it has one: its ports go back to the host. */
export function stopPortKeeper(leaseId: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile(leaseId), 'utf8'));
  } catch {
    return;
  }
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    if (argv0 === marker(leaseId)) process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already (a reboot empties /run with the keepers).
  }
  rmSync(pidFile(leaseId), { force: true });
}
