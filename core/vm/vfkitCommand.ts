import { DATA_DISK_SERIAL, HOST_SHARE_TAG, ROOT_DISK_SERIAL } from './qemuCommand.js';

/**
 * The macOS driver's command line: vfkit, a thin command-line front of Apple's
 * Virtualization.framework (what podman machine uses there), as a pure function of the machine.
 * Designed and unit-tested here; it runs only on a Mac. Facts it relies on (vfkit's usage
 * document): `--bootloader linux` boots an uncompressed kernel with an initrd; every device is
 * virtio; `virtio-blk`'s `deviceId` names the disk under /dev/disk/by-id, as QEMU's `serial` does,
 * so the guest's init finds its disks the same way; `virtio-fs` shares a host directory by tag
 * with no daemon of ours (the framework serves it), so bind mounts work as through /mnt/host
 * here; `virtio-vsock` with `connect` exposes a guest vsock port as a unix socket the host
 * connects to, which is the agent's channel (no network port at all); `--restful-uri unix://`
 * gives state and stop over a socket only this user can reach.
 */

/** The guest vsock port the agent is reached on (a relay in the guest forwards it to the agent's TCP port). */
export const AGENT_VSOCK_PORT = 1024;

export interface VfkitMachineSpec {
  cpus: number;
  memoryMiB: number;
  /** Uncompressed: the framework hangs on a compressed kernel. */
  kernel: string;
  initrd: string;
  rootDisk: string;
  dataDisk: string;
  /** Unix socket vfkit makes for the agent's vsock port; its directory is the user's alone. */
  agentSocket: string;
  /** Unix socket of vfkit's RESTful service (GET /vm/state, POST /vm/state {"state":"Stop"}). */
  controlSocket: string;
  /** The guest's console (hvc0), written to this file. */
  consoleLog: string;
  /** The host directory shared at HOST_SHARE_MOUNT in the guest (the user's home, or /). */
  hostShare?: string;
  kernelArgs?: string[];
}

/**
 * vfkit splits a device's options on commas and has no escape for one: a path with a comma
 * cannot be given, so it is refused rather than cut short.
 */
function vfkitValue(what: string, value: string): string {
  if (value.includes(',')) throw new RangeError(`${what} cannot contain a comma for vfkit: ${value}`);
  if (!value.startsWith('/')) throw new RangeError(`${what} must be an absolute path for vfkit: ${value}`);
  return value;
}

export function vfkitArguments(spec: VfkitMachineSpec): string[] {
  if (!Number.isInteger(spec.cpus) || spec.cpus < 1 || spec.cpus > 255)
    throw new RangeError(`cpus must be 1-255, not ${spec.cpus}`);
  if (!Number.isInteger(spec.memoryMiB) || spec.memoryMiB < 256)
    throw new RangeError(`memory must be at least 256 MiB, not ${spec.memoryMiB}`);
  // The console is the virtio console (hvc0): the framework offers no 8250 serial port; the
  // rest as QEMU's guest has it (qemuCommand.ts kernelCommandLine).
  const cmdline = ['console=hvc0', 'panic=-1', 'quiet', ...(spec.kernelArgs ?? [])].join(' ');
  if (cmdline.includes('"')) throw new RangeError('kernel arguments cannot contain a double quote for vfkit');
  return [
    '--cpus',
    String(spec.cpus),
    '--memory',
    String(spec.memoryMiB),
    '--bootloader',
    // The command line is quoted: it holds spaces, and commas would end the option.
    `linux,kernel=${vfkitValue('the kernel', spec.kernel)},initrd=${vfkitValue('the initrd', spec.initrd)},cmdline="${cmdline}"`,
    '--device',
    `virtio-blk,path=${vfkitValue('the root disk', spec.rootDisk)},deviceId=${ROOT_DISK_SERIAL}`,
    '--device',
    `virtio-blk,path=${vfkitValue('the data disk', spec.dataDisk)},deviceId=${DATA_DISK_SERIAL}`,
    '--device',
    `virtio-vsock,port=${AGENT_VSOCK_PORT},socketURL=${vfkitValue('the agent socket', spec.agentSocket)},connect`,
    ...(spec.hostShare
      ? ['--device', `virtio-fs,sharedDir=${vfkitValue('the shared directory', spec.hostShare)},mountTag=${HOST_SHARE_TAG}`]
      : []),
    '--device',
    `virtio-serial,logFilePath=${vfkitValue('the console log', spec.consoleLog)}`,
    '--device',
    'virtio-rng',
    // Outbound traffic (pulls inside the guest, containers' network) through the host's NAT.
    '--device',
    'virtio-net,nat',
    '--restful-uri',
    `unix://${vfkitValue('the control socket', spec.controlSocket)}`,
  ];
}
