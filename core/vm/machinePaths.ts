import { lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MachineError } from './machineError.js';

/**
 * Where a machine keeps its files: all of them in `<root>/machine/<name>/`, beside the store they
 * belong to (removing the root removes the machine), in a directory that is the user's alone.
 * The guest's files taken out of its image, the data disk, QEMU's sockets, pidfile and logs, and
 * the machine's config and the record of its last start.
 */
export interface MachinePaths {
  name: string;
  /** `<root>/machine`: every machine's directory, and the accelerator probe's answer. */
  base: string;
  dir: string;
  /** The machine's settings (cpus, memory, disk, image): machineConfig.ts. */
  config: string;
  /** The guest image's manifest (guest/buildGuest.ts GuestManifest), as taken out of the image. */
  guestManifest: string;
  kernel: string;
  initrd: string;
  rootfs: string;
  dataDisk: string;
  consoleLog: string;
  /** QEMU's own stderr, kept since a detached QEMU has no terminal. */
  qemuLog: string;
  /** QEMU's `-pidfile`: QEMU writes and locks it, so a second QEMU on this machine fails. */
  pidFile: string;
  /** What the last start recorded: QEMU's pid and start time, the accelerator, the ready line. */
  runRecord: string;
  /** The accelerator probe's cached answer (accelProbe.ts): one for the host, not per machine. */
  acceleratorCache: string;
  agentSocket: string;
  qmpSocket: string;
  /** virtiofsd's vhost-user socket (the host's files in the guest), and its log. */
  shareSocket: string;
  shareLog: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** sun_path is 108 bytes with its terminating NUL. */
const MAX_SOCKET_PATH = 107;

export function machinePaths(root: string, name = 'default'): MachinePaths {
  if (!NAME.test(name))
    throw new MachineError('unsafe-path', `A machine name is 1-32 lowercase letters, digits, - or _, not "${name}".`);
  const base = join(root, 'machine');
  const dir = join(base, name);
  const paths: MachinePaths = {
    name,
    base,
    dir,
    config: join(dir, 'machine.json'),
    guestManifest: join(dir, 'manifest.json'),
    kernel: join(dir, 'vmlinux'),
    initrd: join(dir, 'initrd.img'),
    rootfs: join(dir, 'rootfs.erofs'),
    dataDisk: join(dir, 'data.img'),
    consoleLog: join(dir, 'console.log'),
    qemuLog: join(dir, 'qemu.log'),
    pidFile: join(dir, 'qemu.pid'),
    runRecord: join(dir, 'run.json'),
    acceleratorCache: join(base, 'accelerator.json'),
    agentSocket: join(dir, 'agent.sock'),
    qmpSocket: join(dir, 'qmp.sock'),
    shareSocket: join(dir, 'share.sock'),
    shareLog: join(dir, 'share.log'),
  };
  for (const socket of [paths.agentSocket, paths.qmpSocket, paths.shareSocket]) {
    if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
      throw new MachineError(
        'unsafe-path',
        `The machine's socket path is longer than a unix socket allows (${MAX_SOCKET_PATH} bytes): ${socket}; use a shorter --root.`,
      );
    }
  }
  return paths;
}

/**
 * Creates the machine's directories, 0700, and refuses ones someone else made or opened: the
 * agent's channel and QMP are reachable by whoever can reach their sockets, so every directory
 * above them that Stevedore made must be a real directory, this user's, and closed to others.
 */
export function prepareMachineDirs(paths: MachinePaths): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  for (const dir of [paths.base, paths.dir]) {
    const st = lstatSync(dir);
    const uid = process.getuid?.();
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) {
      throw new MachineError(
        'unsafe-path',
        `${dir} must be a directory of this user's, closed to others (mode 0700); it is not, so the machine will not use it.`,
      );
    }
  }
}
