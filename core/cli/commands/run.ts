import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { RunRequest } from '../../api/containers.schema.js';
import { call, type EngineClient } from '../../api/engineClient.js';
import { type RunMount, routeMountFlag, routeTmpfsFlag, routeVolumeFlag } from '../../api/volumeFlag.js';
import { StevedoreError } from '../../errors.js';
import { formatPlatform, parsePlatform } from '../../oci/platform.js';
import { parseSeccompProfile } from '../../runtime/seccomp/dockerProfile.js';
import { withCallerValues } from '../callerEnv.js';
import { action, collect, engineFor, exitOnUsageError, print } from '../context.js';
import { runningEngineClient } from '../engineClientFor.js';
import { readEnvFile } from '../envFile.js';
import { type HealthOptions, healthRequest } from '../healthFlags.js';
import { parseLabelFlags } from '../labelFlags.js';
import { type PullRequest, parsePullPolicy, pullForRun, withPullPolicy } from '../pullPolicy.js';
import { runThroughEngine } from '../runThroughEngine.js';
import { withClient } from '../withClient.js';

/** The flags of `run` and `create` (core/cli/commands/create.ts). */
export interface ContainerOptions extends HealthOptions {
  rm?: boolean;
  name?: string;
  publish: string[];
  env: string[];
  envFile: string[];
  volume: string[];
  mount: string[];
  tmpfs: string[];
  volumesFrom: string[];
  restart?: string;
  user?: string;
  workdir?: string;
  entrypoint?: string;
  hostname?: string;
  network: string[];
  networkAlias: string[];
  interactive?: boolean;
  tty?: boolean;
  securityOpt: string[];
  pull: string;
  quiet?: boolean;
  memory?: string;
  memorySwap?: string;
  cpus?: string;
  cpuShares?: string;
  pidsLimit?: string;
  capAdd: string[];
  capDrop: string[];
  privileged?: boolean;
  readOnly?: boolean;
  addHost: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOption: string[];
  label: string[];
  labelFile: string[];
  init?: boolean;
  initPath?: string;
  publishAll?: boolean;
  platform?: string;
  device: string[];
  expose: string[];
  ulimit: string[];
  sysctl: string[];
  shmSize?: string;
  groupAdd: string[];
  stopSignal?: string;
  stopTimeout?: string;
}

/** docker's -l KEY=VALUE (a bare KEY is an empty value) and --label-file lines of the same, # comments skipped. */
function readLabels(flags: string[], files: string[]): Record<string, string> | undefined {
  const fromFiles = files.flatMap((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new StevedoreError('INVALID_ARGUMENT', `cannot read the label file ${path}: ${(err as NodeJS.ErrnoException).code}`);
    }
    return text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
  });
  const all = [...fromFiles, ...flags];
  return all.length === 0 ? undefined : parseLabelFlags(all);
}

/** The resource flags as typed (the engine reads the sizes and numbers), absent when none is given. */
function resourceFlags(opts: ContainerOptions): Pick<RunRequest, 'resources'> {
  const resources = Object.fromEntries(
    (
      [
        ['memory', opts.memory],
        ['memorySwap', opts.memorySwap],
        ['cpus', opts.cpus],
        ['cpuShares', opts.cpuShares],
        ['pidsLimit', opts.pidsLimit],
      ] as const
    ).filter(([, value]) => value !== undefined),
  );
  return Object.keys(resources).length > 0 ? { resources } : {};
}

/** The repeatable flags of a request that were given at least once. */
function givenLists(lists: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(lists).filter(([, values]) => values.length > 0));
}

/** Lists and switches of docker's run flags (issue 17), only those given. */
function securityAndHostFlags(opts: ContainerOptions): Partial<RunRequest> {
  const lists = {
    capAdd: opts.capAdd,
    capDrop: opts.capDrop,
    extraHosts: opts.addHost,
    dns: opts.dns,
    dnsSearch: opts.dnsSearch,
    dnsOptions: opts.dnsOption,
  };
  const labels = readLabels(opts.label, opts.labelFile);
  return {
    ...givenLists(lists),
    ...(opts.privileged ? { privileged: true } : {}),
    ...(opts.readOnly ? { readOnly: true } : {}),
    ...(labels ? { labels } : {}),
    ...(opts.init ? { init: true } : {}),
    ...(opts.initPath !== undefined ? { initPath: opts.initPath } : {}),
    ...(opts.publishAll ? { publishAll: true } : {}),
  };
}

/** The process's devices, limits and settings (`--device`, `--ulimit`, `--sysctl`, `--shm-size`, `--group-add`, the stop flags), only those given. */
function processFlags(opts: ContainerOptions): Partial<RunRequest> {
  const lists = { devices: opts.device, ulimits: opts.ulimit, sysctls: opts.sysctl, groupAdd: opts.groupAdd };
  return {
    ...givenLists(lists),
    ...(opts.shmSize !== undefined ? { shmSize: opts.shmSize } : {}),
    ...(opts.stopSignal !== undefined ? { stopSignal: opts.stopSignal } : {}),
    ...(opts.stopTimeout !== undefined ? { stopTimeout: stopTimeout(opts.stopTimeout) } : {}),
  };
}

/** `--stop-timeout`: whole seconds, or -1 to wait as long as it takes. */
function stopTimeout(text: string): number {
  const seconds = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < -1) {
    throw new StevedoreError('INVALID_ARGUMENT', `invalid --stop-timeout "${text}": expected whole seconds, or -1`);
  }
  return seconds;
}

/**
 * docker's --security-opt: `seccomp=FILE` is sent as the file's JSON, as docker's CLI does (the
 * engine may not see the caller's files); a file that cannot be read or is not a profile is
 * refused here, naming it.
 */
function readSecurityOpt(option: string): string {
  const match = /^seccomp[=:](.*)$/s.exec(option);
  const value = match?.[1];
  if (value === undefined || value === 'unconfined' || value === 'builtin') return option;
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (err) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `cannot read the seccomp profile ${value}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  parseSeccompProfile(text, value);
  return `seccomp=${text}`;
}

/**
 * -v and --mount as the engine takes them: binds of this machine's paths (relative ones resolved
 * here, as docker's CLI does) in `volumes`, volumes and tmpfs in `mounts`. A --mount bind of a
 * path that does not exist is refused, as docker does (-v creates it instead).
 */
function routeMounts(
  volumeFlags: string[],
  mountFlags: string[],
  tmpfsFlags: string[] = [],
): Pick<RunRequest, 'volumes' | 'mounts'> {
  const cwd = process.cwd();
  const accept = (routed: RunMount): { field: 'volumes' | 'mounts'; text: string } => {
    if (!routed.ok) throw new StevedoreError('INVALID_ARGUMENT', routed.message);
    return routed;
  };
  const routed = [
    ...volumeFlags.map((text) => accept(routeVolumeFlag(text, cwd))),
    ...mountFlags.map((text) => {
      const mount = accept(routeMountFlag(text, cwd));
      const source = mount.field === 'volumes' ? mount.text.split(':')[0]! : '';
      if (mount.field === 'volumes' && !existsSync(source)) {
        throw new StevedoreError(
          'INVALID_ARGUMENT',
          `invalid mount config for type "bind": bind source path does not exist: ${source}`,
        );
      }
      return mount;
    }),
    ...tmpfsFlags.map((text) => accept(routeTmpfsFlag(text, cwd))),
  ];
  const mounts = routed.filter((r) => r.field === 'mounts').map((r) => r.text);
  return { volumes: routed.filter((r) => r.field === 'volumes').map((r) => r.text), ...(mounts.length > 0 ? { mounts } : {}) };
}

export function registerRunCommand(program: Command): void {
  const run = program
    .command('run')
    .description('Run a command in a new container')
    // As docker: -h is the host name here; help is --help alone.
    .helpOption('--help', 'display help for command')
    .exitOverride(exitOnUsageError)
    .argument('<image>', 'image name or ID')
    .argument('[command...]', 'command and arguments (default: the image’s Entrypoint and Cmd)')
    .option('-d, --detach', 'run in the background and print the container ID');
  addContainerOptions(run)
    .passThroughOptions()
    .action(
      // docker's codes: 127 for a command not in the image (the error's exitCode), 125 when the run itself failed.
      action(
        async (image: string, command: string[], opts: ContainerOptions & { detach?: boolean }, cmd: Command) => {
          const pull: PullRequest = { policy: parsePullPolicy(opts.pull), platform: opts.platform, quiet: opts.quiet };
          if (opts.tty && !opts.detach && !process.stdin.isTTY) {
            throw new StevedoreError('INVALID_ARGUMENT', 'the input device is not a TTY (drop -t, or run from a terminal)');
          }
          const request = containerRequest(image, command, opts);
          if (!opts.tty && !opts.interactive) {
            // Output alone comes back, or nothing (-d): the engine serving the store, if one does, runs it.
            const running = await runningEngineClient(cmd);
            if (running) {
              try {
                if (opts.detach) return print(await startDetached(running, request, pull));
                return await runThroughEngine(running, request, pull);
              } finally {
                running.close();
              }
            }
          }
          // -d: the engine in this process, through its Router; it starts the container under conmon.
          if (opts.detach) return print(await withClient(cmd, (client) => startDetached(client, request, pull)));
          const engine = engineFor(cmd);
          await pullForRun(engine, image, pull);
          return engine.runAttached(request);
        },
        { failureCode: 125 },
      ),
    );
}

/** `run -d` through an engine client: the container started (pulled first as `--pull` says), its notes as warnings; its ID. */
async function startDetached(client: EngineClient, request: RunRequest, pull: PullRequest): Promise<string> {
  const started = await withPullPolicy(client, request.image, pull, () => call(client, 'containers.run', request));
  for (const note of started.notes) process.stderr.write(`warning: ${note}\n`);
  return started.id;
}

/** What `run` and `create` both take: everything about the container but whether to start it. */
export function addContainerOptions(command: Command): Command {
  return command
    .option('--rm', 'remove the container when it exits')
    .option('--name <name>', 'container name')
    .option(
      '-p, --publish <[ip:]host[-host]:container[-container][/proto]>',
      'publish a container port or range on the host (repeatable)',
      collect,
      [],
    )
    .option('-P, --publish-all', 'publish every port the image exposes on a free host port')
    .option('--expose <port[-port][/proto]>', 'expose a port or range, which -P then publishes (repeatable)', collect, [])
    .option('-e, --env <K=V>', 'set an environment variable (repeatable)', collect, [])
    .option('--env-file <file>', 'read environment variables from a file (repeatable)', collect, [])
    .option(
      '-v, --volume <[host-path|name:]container[:ro]>',
      'bind a host path (absolute or ./relative), mount a named volume (made on first use), or an anonymous one (repeatable)',
      collect,
      [],
    )
    .option('--tmpfs <path[:size=…,mode=…]>', 'mount a tmpfs at PATH (repeatable)', collect, [])
    .option(
      '--volumes-from <container[:ro|rw]>',
      'mount the volumes and binds of another container at the same paths (repeatable)',
      collect,
      [],
    )
    .option(
      '--mount <type=bind|volume|tmpfs,src=…,dst=…[,readonly]>',
      'attach a mount, as docker’s --mount (repeatable)',
      collect,
      [],
    )
    .option('-u, --user <user[:group]>', 'user name or uid, as in the image’s /etc/passwd')
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('--entrypoint <cmd>', 'override the image’s Entrypoint')
    .option('-h, --hostname <name>', 'container host name')
    .option(
      '--network <network>',
      'bridge (default), host, none, or a user-defined network (repeatable: several networks)',
      collect,
      [],
    )
    .option('--network-alias <name>', 'another name the container answers to on its user network (repeatable)', collect, [])
    .option('-i, --interactive', 'keep stdin open and connected to the container')
    .option('-t, --tty', 'give the container a terminal')
    .option('--restart <policy>', 'restart when it ends: no (default), on-failure[:N], always or unless-stopped')
    .option('--health-cmd <command>', 'a health check, run with /bin/sh -c in the container (over the image’s HEALTHCHECK)')
    .option('--health-interval <duration>', 'time between health checks (30s, 1m30s; default 30s)')
    .option('--health-timeout <duration>', 'longest a health check may run (default 30s)')
    .option('--health-start-period <duration>', 'time to start up, when failed checks do not count (default 0s)')
    .option('--health-retries <n>', 'failures in a row that make it unhealthy (default 3)')
    .option('--no-healthcheck', 'run no health check, not even the image’s')
    .option('--pull <policy>', 'pull the image first: missing (default), always or never', 'missing')
    .option('-q, --quiet', 'print nothing of the image’s pull')
    .option('--platform <os/arch[/variant]>', 'run that platform’s image of a multi-platform one (pulled when missing)')
    .option(
      '--security-opt <option>',
      'seccomp=unconfined|FILE (a docker seccomp profile), no-new-privileges[=true|false] (repeatable)',
      collect,
      [],
    )
    .option('-m, --memory <size>', 'memory limit (32m, 1g); a process over it is killed by the kernel')
    .option('--memory-swap <size>', 'memory plus swap limit (-1: unlimited swap); needs --memory')
    .option('--cpus <number>', 'CPUs the container may use (0.5: half of one)')
    .option('-c, --cpu-shares <number>', 'CPU shares, its weight against other containers')
    .option('--pids-limit <number>', 'most processes at once (-1: no limit)')
    .option('--cap-add <capability>', 'add a Linux capability, or ALL (repeatable)', collect, [])
    .option('--cap-drop <capability>', 'drop a Linux capability, or ALL (repeatable)', collect, [])
    .option('--privileged', 'every capability, no seccomp, the host’s devices, /sys writable')
    .option('--read-only', 'mount the root filesystem read-only (write with --tmpfs or volumes)')
    .option('--add-host <name:ip>', 'add a line to /etc/hosts; host-gateway is the host (repeatable)', collect, [])
    .option('--dns <ip>', 'a DNS server in place of the network’s (repeatable)', collect, [])
    .option('--dns-search <domain>', 'a DNS search domain (repeatable)', collect, [])
    .option('--dns-option <option>', 'a resolv.conf option (repeatable)', collect, [])
    .option('-l, --label <key=value>', 'set a label (repeatable)', collect, [])
    .option('--label-file <file>', 'read labels from a file of KEY=VALUE lines (repeatable)', collect, [])
    .option('--init', 'run catatonit or tini as PID 1, reaping zombies and passing signals on')
    .option('--init-path <path>', 'the init binary for --init, on the engine’s machine')
    .option(
      '--device <host[:container][:rwm]>',
      'a device node of the engine’s machine in the container, with the access given (default rwm) (repeatable)',
      collect,
      [],
    )
    .option(
      '--ulimit <name=soft[:hard]>',
      'a resource limit of the process, such as nofile=1024:2048; -1 is unlimited (repeatable)',
      collect,
      [],
    )
    .option(
      '--sysctl <key=value>',
      'a namespaced kernel setting: net.*, fs.mqueue.*, kernel.msg*, kernel.sem, kernel.shm* (repeatable)',
      collect,
      [],
    )
    .option('--shm-size <size>', 'the size of /dev/shm (default 64m)')
    .option('--group-add <group>', 'another group for the process, by name or number (repeatable)', collect, [])
    .option('--stop-signal <signal>', 'the signal that stops the container (default: the image’s STOPSIGNAL, else SIGTERM)')
    .option(
      '--stop-timeout <seconds>',
      'seconds stop waits before SIGKILL when -t is not given (default 10; -1: as long as it takes)',
    );
}

/** The engine's request for a container from `run`'s or `create`'s arguments and flags. */
export function containerRequest(image: string, command: string[], opts: ContainerOptions): RunRequest {
  return {
    image,
    // Checked here, so that a mistyped one fails before any pull.
    ...(opts.platform !== undefined ? { platform: formatPlatform(parsePlatform(opts.platform)) } : {}),
    ...(command.length > 0 ? { command } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    env: [...opts.envFile.flatMap(readEnvFile), ...withCallerValues(opts.env)],
    ports: opts.publish,
    ...(opts.expose.length > 0 ? { expose: opts.expose } : {}),
    ...routeMounts(opts.volume, opts.mount, opts.tmpfs),
    ...(opts.volumesFrom.length > 0 ? { volumesFrom: opts.volumesFrom } : {}),
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    ...(opts.workdir !== undefined ? { workdir: opts.workdir } : {}),
    ...(opts.entrypoint !== undefined ? { entrypoint: opts.entrypoint } : {}),
    ...(opts.hostname !== undefined ? { hostname: opts.hostname } : {}),
    ...(opts.network.length > 0 ? { network: opts.network[0] } : {}),
    ...(opts.network.length > 1 ? { moreNetworks: opts.network.slice(1) } : {}),
    ...(opts.networkAlias.length > 0 ? { networkAliases: opts.networkAlias } : {}),
    tty: opts.tty === true,
    interactive: opts.interactive === true,
    autoRemove: opts.rm === true,
    ...(opts.restart !== undefined ? { restart: opts.restart } : {}),
    ...healthRequest(opts),
    ...(opts.securityOpt.length > 0 ? { securityOpt: opts.securityOpt.map(readSecurityOpt) } : {}),
    ...resourceFlags(opts),
    ...securityAndHostFlags(opts),
    ...processFlags(opts),
  };
}
