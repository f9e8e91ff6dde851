import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StevedoreError } from '../../errors.js';
import { processStartTicks } from '../processIdentity.js';
import type { RootlessHost } from './rootlessHost.js';

/**
 * The long-lived process that holds a store's user namespace and mount namespace, as podman's
 * "pause" process does: every later command joins them (nsenter), so the overlay mounts of
 * running containers, runc's state and conmon stay in one place across CLI invocations. A
 * namespace made per command would die with it, and runc could not exec into a container made
 * from another one.
 */
export interface Holder {
  pid: number;
  startTicks: number;
}

function holderPaths(root: string) {
  const dir = join(root, 'run', 'rootless');
  return { dir, file: join(dir, 'holder.json'), lock: join(dir, 'holder.lock'), log: join(dir, 'holder.log') };
}

/** The store's holder if it still runs (the same pid and start time). */
export function liveHolder(root: string): Holder | null {
  try {
    const holder = JSON.parse(readFileSync(holderPaths(root).file, 'utf8')) as Holder;
    return processStartTicks(holder.pid) === holder.startTicks ? holder : null;
  } catch {
    return null;
  }
}

/** Whether this process is in the holder's user namespace (a command that joined it, or conmon's exit command). */
export function insideHolder(pid: number): boolean {
  try {
    return readlinkSync('/proc/self/ns/user') === readlinkSync(`/proc/${pid}/ns/user`);
  } catch {
    return false;
  }
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Runs `fn` holding `<run>/rootless/holder.lock`, so that two commands never start two holders. */
function withHolderLock<T>(lock: string, fn: () => T): T {
  for (let tries = 0; ; tries++) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock older than a holder's start takes is one a killed command left.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10_000 || tries > 1000) rmSync(lock, { force: true });
      else pause(10);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Lines a /proc/PID/{uid,gid}_map has once newuidmap/newgidmap have written it. */
function mapLines(pid: number, which: 'uid_map' | 'gid_map'): number {
  try {
    return readFileSync(`/proc/${pid}/${which}`, 'utf8').trim().split('\n').filter(Boolean).length;
  } catch {
    return -1;
  }
}

/**
 * The store's holder, started if none runs: `unshare` makes a user namespace with the user as
 * root and its subordinate range as 1…count (newuidmap/newgidmap write it, from /etc/subuid and
 * /etc/subgid), and a mount namespace that receives the host's later mounts (slave) but keeps its
 * own to itself; then it sleeps until killed. Without a range the user is root inside and nobody
 * else exists there.
 */
export function ensureHolder(root: string, host: RootlessHost): Holder {
  if (host.blocker) throw new StevedoreError('DENIED', `rootless containers cannot run here: ${host.blocker}`);
  // Every rootless command comes here: a running holder is found without the lock (two reads).
  const live = liveHolder(root);
  if (live) return live;
  const paths = holderPaths(root);
  mkdirSync(paths.dir, { recursive: true });
  return withHolderLock(paths.lock, () => {
    const running = liveHolder(root);
    if (running) return running;
    const mapping = host.range
      ? [
          `--map-users=${host.range.uid.start},1,${host.range.uid.count}`,
          `--map-groups=${host.range.gid.start},1,${host.range.gid.count}`,
        ]
      : [];
    const log = openSync(paths.log, 'w');
    const child = spawn(
      'unshare',
      ['--map-root-user', ...mapping, '--mount', '--propagation', 'slave', '--', 'sleep', 'infinity'],
      { detached: true, stdio: ['ignore', 'ignore', log], cwd: '/' },
    );
    closeSync(log);
    child.unref();
    const pid = child.pid;
    const wanted = host.range ? 2 : 1;
    // unshare's helper writes the maps once the namespace exists: wait for both, or for its end.
    for (let waited = 0; pid !== undefined && waited < 10_000; waited += 5) {
      if (processStartTicks(pid) === null) break;
      if (mapLines(pid, 'uid_map') === wanted && mapLines(pid, 'gid_map') === wanted && !insideHolder(pid)) {
        const holder = { pid, startTicks: processStartTicks(pid) as number };
        writeFileSync(paths.file, JSON.stringify(holder));
        return holder;
      }
      pause(5);
    }
    if (pid !== undefined && processStartTicks(pid) !== null) process.kill(pid, 'SIGKILL');
    const why = readFileSync(paths.log, 'utf8').trim().split('\n').pop() || 'no reason given';
    throw new StevedoreError('INTERNAL', `cannot make the user namespace for rootless containers: ${why}`);
  });
}
