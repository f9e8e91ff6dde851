/**
 * The qemu-system-x86_64 command line for a Stevedore machine, as a pure function of what the
 * machine is: everything QEMU does is spelled out here, nothing comes from QEMU's defaults or a
 * config file (`-no-user-config -nodefaults`), so the unit tests pin it down.
 */

/** The virtio-serial port the agent in the guest opens by name (guest/files/seed.cjs). */
export const AGENT_PORT_NAME = 'org.stevedore.agent.0';
/** The disks' virtio serial numbers, which the guest's init finds them by (guest/files/init). */
export const ROOT_DISK_SERIAL = 'stevedore-root';
export const DATA_DISK_SERIAL = 'stevedore-data';

/** Where the agent listens inside the guest (guest/files/seed.cjs), on the user network's 10.0.2.15. */
export const AGENT_GUEST_PORT = 7070;
export const GUEST_ADDRESS = '10.0.2.15';

/** The virtiofs tag of the host's files, mounted at /mnt/host in the guest (guest/files/rc.sysinit). */
export const HOST_SHARE_TAG = 'host';
export const HOST_SHARE_MOUNT = '/mnt/host';

export type Accelerator = 'kvm' | 'tcg';

export interface QemuMachineSpec {
  accel: Accelerator;
  cpus: number;
  memoryMiB: number;
  kernel: string;
  initrd: string;
  /** The guest's root filesystem image (erofs), attached read-only. */
  rootDisk: string;
  /** The machine's own disk (ext4, raw), read-write. */
  dataDisk: string;
  /** Unix socket QEMU listens on for the agent's virtio-serial port. */
  agentSocket: string;
  /** Unix socket QEMU listens on for QMP (power-off, status). */
  qmpSocket: string;
  /** File the guest's serial console is written to. */
  consoleLog: string;
  /**
   * The host's loopback port QEMU forwards to the agent's (AGENT_GUEST_PORT): the machine's only
   * network, QEMU's user-mode stack, gets it. Without one the guest has no network at all.
   */
  agentHostPort?: number;
  /**
   * The vhost-user socket of a virtiofsd sharing the host's files (core/vm/hostShare.ts); the
   * guest mounts it by the tag HOST_SHARE_TAG. Guest memory is then a shared memfd, as
   * vhost-user needs the daemon to reach it.
   */
  hostShareSocket?: string;
  /** Extra kernel arguments, after the defaults. */
  kernelArgs?: string[];
  /**
   * The firmware that hands over to the kernel (QEMU's `-bios`): qboot where QEMU ships it
   * (qemuBinary.ts), else QEMU's default, SeaBIOS.
   */
  firmware?: string;
}

/**
 * QEMU splits option values on commas; a literal comma is written twice
 * (docs: "Option values containing commas must have each comma doubled").
 */
export function qemuOptionValue(value: string): string {
  return value.replaceAll(',', ',,');
}

export function kernelCommandLine(extra: string[] = []): string {
  // console=ttyS0: the serial port is the console log; panic=-1 with -no-reboot: a panicking
  // guest exits QEMU at once rather than hanging; quiet: the 8250 console is slow under TCG, the
  // init's own lines and warnings still show. no_timer_check: the kernel's check that the IO-APIC
  // timer ticks is timed, and under TCG on a loaded host it failed and panicked the boot ("IO-APIC
  // + timer doesn't work!"); QEMU's timer is known to work. cryptomgr.notests: the crypto self-tests
  // guard against broken hardware or builds, and cost a boot under TCG a fraction of a second.
  return ['console=ttyS0', 'panic=-1', 'quiet', 'no_timer_check', 'cryptomgr.notests', ...extra].join(' ');
}

/**
 * The vCPUs the guest gets: those asked for, but one under TCG. TCG here runs every vCPU in one
 * host thread (thread=single, below), so a second adds no throughput, and its bring-up cost a boot
 * ~0.7 s (the kernel reached the initramfs at 2.8 s of uptime with one, 3.5 s with two, measured
 * alternately); a uniprocessor kernel also drops its SMP alternatives. With KVM or HVF they run.
 */
export function guestCpus(accel: Accelerator, cpus: number): number {
  return accel === 'tcg' ? 1 : cpus;
}

export function qemuArguments(spec: QemuMachineSpec): string[] {
  if (!Number.isInteger(spec.cpus) || spec.cpus < 1 || spec.cpus > 255)
    throw new RangeError(`cpus must be 1-255, not ${spec.cpus}`);
  if (!Number.isInteger(spec.memoryMiB) || spec.memoryMiB < 256)
    throw new RangeError(`memory must be at least 256 MiB, not ${spec.memoryMiB}`);
  const v = qemuOptionValue;
  return [
    '-name',
    'stevedore',
    '-no-user-config',
    '-nodefaults',
    '-display',
    'none',
    // QEMU itself may not spawn, gain privileges or use obsolete system calls (seccomp).
    '-sandbox',
    'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny',
    '-machine',
    'q35',
    '-accel',
    // TCG in one host thread for every vCPU: with a thread per vCPU (MTTCG) on a loaded 2-core
    // host, both vCPUs of a guest were seen spinning in its kernel for minutes (soft lockups,
    // RCU stalls) right after a container started; one thread keeps the guest's SMP but cannot
    // leave one vCPU waiting on another that the host does not run.
    spec.accel === 'tcg' ? 'tcg,thread=single' : spec.accel,
    // KVM: the host's CPU as it is; TCG: everything QEMU can emulate.
    '-cpu',
    spec.accel === 'kvm' ? 'host' : 'max',
    '-smp',
    String(guestCpus(spec.accel, spec.cpus)),
    '-m',
    `${spec.memoryMiB}M`,
    ...(spec.firmware ? ['-bios', spec.firmware] : []),
    ...(spec.hostShareSocket
      ? [
          '-object',
          `memory-backend-memfd,id=mem,size=${spec.memoryMiB}M,share=on`,
          '-numa',
          'node,memdev=mem',
          '-chardev',
          `socket,id=share,path=${v(spec.hostShareSocket)}`,
          '-device',
          `vhost-user-fs-pci,chardev=share,tag=${HOST_SHARE_TAG}`,
        ]
      : []),
    '-kernel',
    spec.kernel,
    '-initrd',
    spec.initrd,
    '-append',
    kernelCommandLine(spec.kernelArgs),
    '-drive',
    `if=none,id=root,format=raw,readonly=on,file=${v(spec.rootDisk)}`,
    '-device',
    `virtio-blk-pci,drive=root,serial=${ROOT_DISK_SERIAL}`,
    '-drive',
    `if=none,id=data,format=raw,discard=unmap,file=${v(spec.dataDisk)}`,
    '-device',
    `virtio-blk-pci,drive=data,serial=${DATA_DISK_SERIAL}`,
    // The agent's channel: a virtio-serial port whose host end is a unix socket QEMU serves;
    // its mode (0600) comes from the umask QEMU is started with, its directory is private.
    '-device',
    'virtio-serial-pci,id=vser',
    '-chardev',
    `socket,id=agent,path=${v(spec.agentSocket)},server=on,wait=off`,
    '-device',
    `virtserialport,bus=vser.0,chardev=agent,name=${AGENT_PORT_NAME}`,
    '-chardev',
    `socket,id=qmp,path=${v(spec.qmpSocket)},server=on,wait=off`,
    '-mon',
    'chardev=qmp,mode=control',
    '-chardev',
    `file,id=console,path=${v(spec.consoleLog)}`,
    '-serial',
    'chardev:console',
    ...network(spec),
    '-device',
    'virtio-rng-pci',
    // Memory the guest frees goes back to the host.
    '-device',
    'virtio-balloon-pci,free-page-reporting=on',
    '-no-reboot',
  ];
}

/**
 * QEMU's user-mode network (slirp): no privileges, outbound connections made as this user, and
 * inbound only what is forwarded, here the agent's port from the host's loopback alone (never
 * 0.0.0.0). Ports that containers publish are added while the machine runs (QMP hostfwd_add).
 */
function network(spec: QemuMachineSpec): string[] {
  if (spec.agentHostPort === undefined) return [];
  if (!Number.isInteger(spec.agentHostPort) || spec.agentHostPort < 1 || spec.agentHostPort > 65535)
    throw new RangeError(`the agent's host port must be 1-65535, not ${spec.agentHostPort}`);
  return [
    '-netdev',
    `user,id=net,ipv6=off,hostfwd=tcp:127.0.0.1:${spec.agentHostPort}-${GUEST_ADDRESS}:${AGENT_GUEST_PORT}`,
    '-device',
    'virtio-net-pci,netdev=net',
  ];
}
