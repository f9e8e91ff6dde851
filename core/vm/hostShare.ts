import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { MachinePaths } from './machinePaths.js';

/** Where Debian's qemu-system-common puts the C virtiofsd. */
const VIRTIOFSD = ['/usr/libexec/virtiofsd', '/usr/lib/qemu/virtiofsd'];

/** The share, or why the machine boots without one (then `-v` through it is refused saying this). */
export type HostShare = { socket: string } | { socket?: undefined; why: string };

/** The first subordinate id range /etc/subuid (or subgid) gives `user`: `start,count`. */
export function subordinateRange(file: string, user: string, uid: number): { start: number; count: number } | undefined {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [who, start, count] = line.trim().split(':');
    if ((who === user || who === String(uid)) && Number(count) > 0) return { start: Number(start), count: Number(count) };
  }
  return undefined;
}

/**
 * The command that serves `/` to the guest as this user: virtiofsd in a user namespace where the
 * user is root and its subordinate ids are the rest (newuidmap, as rootless podman maps them),
 * with a private /run for the lock file it insists on. The namespace gives virtiofsd the
 * capabilities its sandbox needs without any on the host: it reads and writes only what the user
 * may, and what the guest creates belongs to the user. Root needs no namespace.
 */
export function shareCommand(
  virtiofsd: string,
  socket: string,
  user: { name: string; uid: number },
  ranges: { uid?: { start: number; count: number } | undefined; gid?: { start: number; count: number } | undefined },
): string[] | string {
  const daemon = [
    virtiofsd,
    `--socket-path=${socket}`,
    '-o',
    'source=/',
    '-o',
    'cache=auto',
    '-o',
    'sandbox=chroot',
    '--rlimit-nofile=0',
  ];
  if (user.uid === 0) return daemon;
  if (!ranges.uid || !ranges.gid)
    return `bind mounts through the machine need a subordinate id range for ${user.name} in /etc/subuid and /etc/subgid (as rootless podman does)`;
  const count = (r: { count: number }) => Math.min(r.count, 65536);
  return [
    'unshare',
    '--map-root-user',
    `--map-users=${ranges.uid.start},1,${count(ranges.uid)}`,
    `--map-groups=${ranges.gid.start},1,${count(ranges.gid)}`,
    '--mount',
    '--',
    '/bin/sh',
    '-c',
    'mount -t tmpfs -o mode=0755 tmpfs /run && exec "$0" "$@"',
    ...daemon,
  ];
}

/**
 * Starts virtiofsd for a machine about to boot, detached like QEMU (it ends when QEMU closes its
 * socket). Waits for its socket; a share that cannot start is said, not fatal: the machine boots
 * and only `-v` is refused.
 */
export async function startHostShare(paths: MachinePaths): Promise<HostShare> {
  const virtiofsd = VIRTIOFSD.find((p) => existsSync(p));
  if (!virtiofsd) return { why: 'bind mounts through the machine need virtiofsd (Debian package qemu-system-common)' };
  const { username, uid } = userInfo();
  const command = shareCommand(
    virtiofsd,
    paths.shareSocket,
    { name: username, uid },
    {
      uid: subordinateRange('/etc/subuid', username, uid),
      gid: subordinateRange('/etc/subgid', username, uid),
    },
  );
  if (typeof command === 'string') return { why: command };
  rmSync(paths.shareSocket, { force: true });
  const log = openSync(paths.shareLog, 'w', 0o600);
  let exited = false;
  try {
    const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', log, log], detached: true });
    child.on('exit', () => {
      exited = true;
    });
    child.on('error', () => {
      exited = true;
    });
    child.unref();
  } finally {
    closeSync(log);
  }
  const deadline = Date.now() + 10_000;
  while (!existsSync(paths.shareSocket)) {
    if (exited || Date.now() > deadline) {
      const said = readFileSync(paths.shareLog, 'utf8').trim().split('\n').pop();
      return { why: `the host share (virtiofsd) did not start${said ? `: ${said}` : ''}` };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { socket: paths.shareSocket };
}
