import type { NetworkMode, Ulimit } from '../api/containers.schema.js';
import { cgroupV2 } from '../system/cgroupVersion.js';
import { mountTool } from '../system/mountPrograms.js';
import { gidMapped, inUserNamespace } from '../system/userNamespace.js';
import { DEFAULT_CAPABILITIES } from './capabilities.js';
import type { DeviceRule } from './deviceFlags.js';
import { hostDevices, type LinuxDevice } from './privilegedDevices.js';
import { type ContainerResources, hasResources, ociResources } from './resources.js';
import { type SeccompChoice, seccompFor } from './seccomp/seccompPolicy.js';
import { ociRlimits } from './ulimits.js';
import type { ResolvedUser } from './userLookup.js';

/** Docker's default capability set; kept here too for the code that imported it from the spec. */
export { DEFAULT_CAPABILITIES };

/** Docker's masked and read-only paths: kernel interfaces a container has no business with. */
const MASKED_PATHS = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export interface Mount {
  destination: string;
  type?: string;
  source: string;
  options: string[];
}

export interface SpecInput {
  rootfs: string;
  args: string[];
  env: string[];
  cwd: string;
  user: ResolvedUser;
  hostname: string;
  terminal: boolean;
  /** Bind mounts after the defaults: /etc/hosts and friends, volumes. */
  mounts: Mount[];
  /** `bridge`: join the namespace the network set up; `none`: a new empty one; `host`: the host's. */
  network: { mode: NetworkMode; netnsPath: string | null };
  /** The seccomp policy; Stevedore's default unless said otherwise (so build steps have it too). */
  seccomp?: SeccompChoice;
  /** The capability set (bounding, effective, permitted); docker's default unless given. */
  capabilities?: readonly string[];
  /** docker's `--privileged`: no seccomp, no masked or read-only paths, /sys writable, the host's devices. */
  privileged?: boolean;
  /** `--security-opt no-new-privileges`; off unless asked, as docker. */
  noNewPrivileges?: boolean;
  /** `--read-only`: the rootfs mounted read-only. */
  readOnlyRootfs?: boolean;
  /** `--memory`, `--cpus`, `--cpu-shares`, `--pids-limit` as `linux.resources`. */
  resources?: ContainerResources;
  /** `--device`s: nodes in `linux.devices`, and the device cgroup's rules that let them be used. */
  devices?: { devices: LinuxDevice[]; rules: DeviceRule[] };
  /** `--ulimit`s as `process.rlimits`; none otherwise (the engine's limits are inherited). */
  ulimits?: readonly Ulimit[];
  /** `--sysctl`s, as `linux.sysctl`. */
  sysctls?: Record<string, string>;
  /** `--shm-size`: /dev/shm's size in bytes (docker's 64 MiB otherwise). */
  shmSizeBytes?: number | null;
  /**
   * Mounts the runtime itself removes once the container is gone (an OCI poststop hook running
   * `umount`, BusyBox's where there is one: mountPrograms.ts): its root filesystem and network
   * namespace, unmounted by runc's own cheap fork instead of one of the engine's
   * (docs/architecture.md, "Where a CLI command's time goes").
   */
  unmountAfterExit?: string[];
}

/** The poststop hook of `unmountAfterExit`; none without targets or without umount. */
function unmountHooks(targets: string[] | undefined): { hooks?: { poststop: { path: string; args: string[] }[] } } {
  const umount = targets?.length ? (mountTool('umount')?.[0] ?? null) : null;
  return umount && targets ? { hooks: { poststop: [{ path: umount, args: ['umount', ...targets] }] } } : {};
}

/**
 * The container's namespaces. A cgroup namespace of its own on a cgroup v2 host, so its
 * /sys/fs/cgroup shows its own cgroup as the root; on v1 the host's, as docker chooses for each.
 */
function namespaces(network: SpecInput['network']): { type: string; path?: string }[] {
  const own = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, ...(cgroupV2() ? [{ type: 'cgroup' }] : [])];
  if (network.mode === 'host') return own;
  return [...own, network.netnsPath ? { type: 'network', path: network.netnsPath } : { type: 'network' }];
}

/**
 * /sys: a new sysfs, read-only. In a user namespace (rootless) the kernel allows one only with a
 * network namespace of the container's own, so with the host's network the host's /sys is bound
 * read-only instead, as rootless runc's own spec does.
 */
function sysfsMount(network: NetworkMode, privileged: boolean): Mount {
  // docker's --privileged mounts /sys read-write.
  const access = privileged ? 'rw' : 'ro';
  if (network === 'host' && inUserNamespace())
    return { destination: '/sys', type: 'bind', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', access] };
  return { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', access] };
}

/**
 * /sys/fs/cgroup, read-only as docker mounts it (read-write with --privileged): a program that
 * sizes itself to its limits (a JVM, Go's automaxprocs) reads them there. runc mounts the
 * container's own cgroup: v2's through the cgroup namespace, each v1 controller's directory bound.
 */
function cgroupMount(privileged: boolean): Mount {
  return {
    destination: '/sys/fs/cgroup',
    type: 'cgroup',
    source: 'cgroup',
    options: ['nosuid', 'noexec', 'nodev', 'relatime', privileged ? 'rw' : 'ro'],
  };
}

/** `linux.resources`: the limits asked for, and for --privileged every device allowed (the device cgroup). */
function linuxResources(input: SpecInput): Record<string, unknown> | undefined {
  const limits = input.resources && hasResources(input.resources) ? ociResources(input.resources) : {};
  const rules = input.privileged ? [{ allow: true, access: 'rwm' }] : (input.devices?.rules ?? []);
  const resources = rules.length > 0 ? { ...limits, devices: rules } : limits;
  return Object.keys(resources).length > 0 ? resources : undefined;
}

/**
 * The OCI runtime spec (config.json) runc runs: docker's defaults for mounts, capabilities,
 * masked paths, namespaces and seccomp, no-new-privileges only when asked (docker's default), and
 * no rlimits but those `--ulimit` asks for (setting one above the host's hard limit is refused in
 * some sandboxes; inheriting is what a user expects). `--privileged` is docker's: every capability, no seccomp,
 * no masked or read-only paths, /sys read-write and the host's devices.
 */
export function buildRuntimeSpec(input: SpecInput): Record<string, unknown> {
  const caps = [...(input.capabilities ?? DEFAULT_CAPABILITIES)];
  const privileged = input.privileged ?? false;
  const seccomp = privileged ? undefined : seccompFor(input.seccomp ?? 'default', caps);
  const resources = linuxResources(input);
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: input.terminal,
      user: { uid: input.user.uid, gid: input.user.gid, additionalGids: input.user.additionalGids },
      args: input.args,
      env: input.env,
      cwd: input.cwd,
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: input.noNewPrivileges ?? false,
      ...(input.ulimits?.length ? { rlimits: ociRlimits(input.ulimits) } : {}),
    },
    root: { path: input.rootfs, readonly: input.readOnlyRootfs ?? false },
    hostname: input.hostname,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        // gid 5 is tty; a rootless namespace with one id only has no such group, and the mount would be refused.
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', ...(gidMapped(5) ? ['gid=5'] : [])],
      },
      {
        destination: '/dev/shm',
        type: 'tmpfs',
        source: 'shm',
        options: ['nosuid', 'noexec', 'nodev', 'mode=1777', input.shmSizeBytes ? `size=${input.shmSizeBytes}` : 'size=65536k'],
      },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      sysfsMount(input.network.mode, privileged),
      cgroupMount(privileged),
      ...input.mounts,
    ],
    linux: {
      namespaces: namespaces(input.network),
      ...(privileged
        ? { devices: hostDevices() }
        : {
            ...(input.devices?.devices.length ? { devices: input.devices.devices } : {}),
            maskedPaths: MASKED_PATHS,
            readonlyPaths: READONLY_PATHS,
          }),
      ...(resources ? { resources } : {}),
      ...(input.sysctls && Object.keys(input.sysctls).length > 0 ? { sysctl: input.sysctls } : {}),
      ...(seccomp ? { seccomp } : {}),
    },
    ...unmountHooks(input.unmountAfterExit),
  };
}
