import { z } from 'zod';
import { healthcheck, healthFlags, healthState, healthStatus } from './healthcheck.js';
import { isIPv4 } from './ipAddress.js';
import { restartPolicy } from './restartPolicy.js';

/** One published port: `-p [IP:]HOST:CONTAINER[/tcp|/udp]`. */
export const portMapping = z.object({
  hostIp: z.string().refine(isIPv4, { message: 'must be an IPv4 address' }),
  hostPort: z.number().int().min(1).max(65535),
  containerPort: z.number().int().min(1).max(65535),
  protocol: z.enum(['tcp', 'udp']),
});
export type PortMapping = z.infer<typeof portMapping>;

/** A `-p` as asked: a PortMapping whose hostPort may be 0, meaning "choose a free one". */
export const portRequest = portMapping.extend({ hostPort: z.number().int().min(0).max(65535) });
export type PortRequest = z.infer<typeof portRequest>;

/** One `-v HOST:CONTAINER[:ro]` bind mount. */
export const volumeMount = z.object({ source: z.string(), target: z.string(), readOnly: z.boolean() });
export type VolumeMount = z.infer<typeof volumeMount>;

/**
 * A mount the engine keeps for a container: a volume (`-v NAME:/path`, `-v /path`, `--mount
 * type=volume`, the image's VOLUME lines), or a tmpfs (`--mount type=tmpfs`).
 */
export const containerMount = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('volume'),
    name: z.string(),
    target: z.string(),
    readOnly: z.boolean(),
    /** Made for this container alone (no name given): removed with it by `rm -v` and `--rm`. */
    anonymous: z.boolean(),
    /** `volume-nocopy`: an empty volume is not filled from the image. */
    noCopy: z.boolean(),
  }),
  z.object({
    type: z.literal('tmpfs'),
    target: z.string(),
    sizeBytes: z.number().int().positive().nullable(),
    mode: z.number().int().min(0).max(0o7777).nullable(),
  }),
]);
export type ContainerMount = z.infer<typeof containerMount>;

/** One `--ulimit`: a resource's soft and hard limit; -1 is unlimited. */
export const ulimit = z.object({ name: z.string(), soft: z.number().int(), hard: z.number().int() });
export type Ulimit = z.infer<typeof ulimit>;

/** One `--device`: the engine machine's node, where it goes in the container, and the cgroup access. */
export const deviceMapping = z.object({
  hostPath: z.string(),
  containerPath: z.string(),
  permissions: z.string().regex(/^[rwm]+$/),
});
export type DeviceMapping = z.infer<typeof deviceMapping>;

export const networkMode = z.enum(['bridge', 'host', 'none']);
export type NetworkMode = z.infer<typeof networkMode>;

/** Docker's states, less the ones Stevedore has no use for (restarting, dead). */
export const containerState = z.enum(['created', 'running', 'paused', 'exited']);
export type ContainerState = z.infer<typeof containerState>;

/** One network a container is on, as inspect shows it; the address only while it runs. */
export const containerNetworkEntry = z.object({
  name: z.string(),
  /** A user network's ID; null for bridge, host and none. */
  networkId: z.string().nullable(),
  aliases: z.array(z.string()),
  ipAddress: z.string().nullable(),
  prefixLength: z.number().int().nullable(),
  gateway: z.string().nullable(),
  macAddress: z.string().nullable(),
});
export type ContainerNetworkEntry = z.infer<typeof containerNetworkEntry>;

export const containerSummary = z.object({
  /** 64 hex digits; people see the first 12. */
  id: z.string(),
  name: z.string(),
  /** The image as the user named it (`busybox:latest`), and its ID (config digest). */
  image: z.string(),
  imageId: z.string(),
  /** Entrypoint + Cmd as run, shell-quoted for display. */
  command: z.string(),
  created: z.string(),
  state: containerState,
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  /** Why the container is not running when it should be (its process vanished, runc failed). */
  error: z.string().nullable(),
  ports: z.array(portMapping),
  /** bridge, host, none, or the user network's name: the first network it is on. */
  network: z.string(),
  /** Every network it is on, in connect order, as docker ps lists them (absent from engines before them). */
  networkNames: z.array(z.string()).optional(),
  ipAddress: z.string().nullable(),
  tty: z.boolean(),
  /** `-l/--label` (absent from engines before them). */
  labels: z.record(z.string(), z.string()).optional(),
  /** Its health check's verdict while it runs; null without a check (absent from engines before them). */
  health: healthStatus.nullable().optional(),
});
export type ContainerSummary = z.infer<typeof containerSummary>;

/** `containers.run`'s answer: the container started, and what the engine did otherwise than asked (for the CLI's warnings). */
export const startedContainer = containerSummary.extend({
  /** Published ports discarded with --network host, a port a machine could not forward, … */
  notes: z.array(z.string()),
});
export type StartedContainer = z.infer<typeof startedContainer>;

export const containerDetail = containerSummary.extend({
  pid: z.number().int().nullable(),
  args: z.array(z.string()),
  env: z.array(z.string()),
  workingDir: z.string(),
  user: z.string(),
  hostname: z.string(),
  volumes: z.array(volumeMount),
  /** Volumes and tmpfs mounts the engine keeps (absent from engines before them). */
  mounts: z.array(containerMount).optional(),
  stopSignal: z.string(),
  autoRemove: z.boolean(),
  /** The health check it runs, and docker's State.Health of this run (absent from engines before them). */
  healthcheck: healthcheck.nullable().optional(),
  healthState: healthState.nullable().optional(),
  /** `--restart`, and the starts it has made since the user last started it (absent from engines before them). */
  restartPolicy: restartPolicy.optional(),
  restartCount: z.number().int().optional(),
  /** The networks it is on (docker's NetworkSettings.Networks; absent from engines before them). */
  networks: z.array(containerNetworkEntry).optional(),
  /** `--ulimit`, `--sysctl`, `--shm-size` (bytes; null: 64 MiB), `--group-add`, `--stop-timeout` (null: 10 s) (absent from engines before them). */
  ulimits: z.array(ulimit).optional(),
  sysctls: z.record(z.string(), z.string()).optional(),
  /** `--device`s: the engine machine's node, its path in the container, the cgroup access (absent from engines before them). */
  devices: z.array(deviceMapping).optional(),
  shmSizeBytes: z.number().int().nullable().optional(),
  groupAdd: z.array(z.string()).optional(),
  stopTimeout: z.number().int().nullable().optional(),
  /** Its last run ended by the kernel's OOM killer (over `--memory`), as docker's State.OOMKilled. */
  oomKilled: z.boolean().optional(),
  /** Where its files are on the host: the OCI bundle (config.json, rootfs) and the log. */
  bundle: z.string(),
  logPath: z.string(),
});
export type ContainerDetail = z.infer<typeof containerDetail>;

/** What `run` takes; the strings are the CLI's own syntax (`-p`, `-v`, `-e`) so both faces parse alike. */
export const runRequest = z.object({
  image: z.string().min(1),
  /**
   * The image ID (config digest) `image` must name where the container is made: refused with
   * IMAGE_NOT_FOUND when it names another or none. The machine's runtime sends it, so that a
   * guest without the host's image says so at the run rather than being asked before every run.
   */
  expectedImageId: z
    .string()
    .regex(/^sha256:[a-f0-9]{64}$/)
    .optional(),
  /** docker's --platform, `os/arch[/variant]`: that platform's manifest of a multi-platform image. */
  platform: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  /** Replaces the image's Cmd. */
  command: z.array(z.string()).optional(),
  /** Replaces the image's Entrypoint (and drops its Cmd unless `command` is given), as docker does. */
  entrypoint: z.string().optional(),
  env: z.array(z.string()).optional(),
  /**
   * docker's --env-file, as paths on the engine's machine that the engine reads (the app's Run
   * dialog; the CLI reads its own files and sends `env`). Their lines come before `env`'s.
   */
  envFiles: z.array(z.string().min(1)).optional(),
  ports: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  /**
   * docker's `--mount` texts for what the engine keeps: `type=volume[,src=NAME],dst=/path[,readonly]`
   * and `type=tmpfs,dst=/path`. Binds go in `volumes` (core/api/volumeFlag.ts routes both flags).
   */
  mounts: z.array(z.string()).optional(),
  /** `--volumes-from CONTAINER[:ro|:rw]`: that container's binds and volumes, at the same paths. */
  volumesFrom: z.array(z.string().min(1)).optional(),
  workdir: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  hostname: z.string().min(1).optional(),
  /** bridge (default), host, none, or a user network's name or ID. */
  network: z.string().min(1).optional(),
  /** docker's repeated `--network`: more networks (user networks or bridge) joined after `network`, in order. */
  moreNetworks: z.array(z.string().min(1)).optional(),
  /** `--network-alias`: more names the container answers to on its user network. */
  networkAliases: z.array(z.string().min(1)).optional(),
  tty: z.boolean().optional(),
  interactive: z.boolean().optional(),
  autoRemove: z.boolean().optional(),
  /** docker's `--restart`: no, on-failure[:N], always or unless-stopped. */
  restart: z.string().optional(),
  /** docker's `--health-*` flags and `--no-healthcheck`, over the image's HEALTHCHECK. */
  healthcheck: healthFlags.optional(),
  /** docker's `--security-opt`: `seccomp=unconfined`, or `seccomp=` and a docker seccomp profile's JSON text. */
  securityOpt: z.array(z.string()).optional(),
  /** docker's resource flags as typed: `--memory 32m`, `--memory-swap`, `--cpus 0.5`, `--cpu-shares`, `--pids-limit`. */
  resources: z
    .object({
      memory: z.string(),
      memorySwap: z.string(),
      cpus: z.string(),
      cpuShares: z.string(),
      pidsLimit: z.string(),
    })
    .partial()
    .optional(),
  /** `--cap-add`, `--cap-drop`: names with or without `CAP_`, or `ALL`. */
  capAdd: z.array(z.string()).optional(),
  capDrop: z.array(z.string()).optional(),
  /** `--privileged`: every capability, no seccomp, the host's devices. */
  privileged: z.boolean().optional(),
  /** `--read-only`: the rootfs mounted read-only. */
  readOnly: z.boolean().optional(),
  /** `--add-host NAME:IP` (`host-gateway` for the IP: the host as the container reaches it). */
  extraHosts: z.array(z.string()).optional(),
  /** `--dns`, `--dns-search`, `--dns-option`: the container's /etc/resolv.conf. */
  dns: z.array(z.string()).optional(),
  dnsSearch: z.array(z.string()).optional(),
  dnsOptions: z.array(z.string()).optional(),
  /** `-l/--label KEY=VALUE`. */
  labels: z.record(z.string(), z.string()).optional(),
  /** `--init`: catatonit or tini as PID 1; `initPath` names the binary (`--init-path`). */
  init: z.boolean().optional(),
  initPath: z.string().min(1).optional(),
  /** `-P`: the image's EXPOSE ports on free host ports. */
  publishAll: z.boolean().optional(),
  /** `--expose PORT[-PORT][/PROTOCOL]`: more ports for `-P` to publish. */
  expose: z.array(z.string()).optional(),
  /** `--device HOST[:CONTAINER][:PERMISSIONS]`, as typed: device nodes of the engine's machine. */
  devices: z.array(z.string()).optional(),
  /** `--ulimit NAME=SOFT[:HARD]`, as typed. */
  ulimits: z.array(z.string()).optional(),
  /** `--sysctl KEY=VALUE`, as typed. */
  sysctls: z.array(z.string()).optional(),
  /** `--shm-size`: /dev/shm's size (64m, 1g). */
  shmSize: z.string().min(1).optional(),
  /** `--group-add`: more groups for the process, by name or number. */
  groupAdd: z.array(z.string()).optional(),
  /** `--stop-signal`: the signal `stop` sends, over the image's STOPSIGNAL. */
  stopSignal: z.string().min(1).optional(),
  /** `--stop-timeout`: the seconds `stop` waits by default before SIGKILL (-1: as long as it takes). */
  stopTimeout: z.number().int().min(-1).optional(),
});
export type RunRequest = z.infer<typeof runRequest>;

export const logEntry = z.object({
  /** RFC 3339 with nanoseconds, as conmon writes it. */
  time: z.string(),
  stream: z.enum(['stdout', 'stderr']),
  text: z.string(),
  /** The container's last output did not end with a newline. */
  partial: z.boolean().optional(),
});
export type LogEntry = z.infer<typeof logEntry>;

export const logChunk = z.object({
  entries: z.array(logEntry),
  /** Pass back as `after` to get what comes next. */
  cursor: z.number().int(),
  /** The container is not running, so nothing more will come. */
  ended: z.boolean(),
  /**
   * Its exit code, once it has ended with one: told with the log's end, because a --rm container
   * is gone a moment later (docker's `wait` and `start -a` still tell it).
   */
  exitCode: z.number().int().optional(),
});
export type LogChunk = z.infer<typeof logChunk>;

/** Events: a container changed state (or appeared, or went away). */
export const containersChanged = z.object({ id: z.string(), reason: z.string() });

/** Events of a terminal session (`containers.terminal`): output as text, then its end. */
export const terminalOutput = z.object({
  sessionId: z.string(),
  data: z.string(),
  stream: z.enum(['stdout', 'stderr']).optional(),
});
export const terminalExited = z.object({ sessionId: z.string(), exitCode: z.number().int() });
