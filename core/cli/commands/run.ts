import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { RunRequest } from '../../api/containers.schema.js';
import { type RunMount, routeMountFlag, routeTmpfsFlag, routeVolumeFlag } from '../../api/volumeFlag.js';
import { StevedoreError } from '../../errors.js';
import { parseSeccompProfile } from '../../runtime/seccomp/dockerProfile.js';
import { withCallerValues } from '../callerEnv.js';
import { action, collect, engineFor, exitOnUsageError, print } from '../context.js';
import { parsePullPolicy, pullForRun } from '../pullPolicy.js';

interface RunOptions {
  detach?: boolean;
  rm?: boolean;
  name?: string;
  publish: string[];
  env: string[];
  envFile: string[];
  volume: string[];
  mount: string[];
  tmpfs: string[];
  restart?: string;
  user?: string;
  workdir?: string;
  entrypoint?: string;
  hostname?: string;
  network?: string;
  interactive?: boolean;
  tty?: boolean;
  securityOpt: string[];
  pull: string;
}

/** docker's --env-file: KEY=VALUE lines, # comments, and a bare KEY taking this process's value. */
function readEnvFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StevedoreError('INVALID_ARGUMENT', `cannot read the env file ${path}: ${(err as NodeJS.ErrnoException).code}`);
  }
  return withCallerValues(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
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
  program
    .command('run')
    .description('Run a command in a new container')
    // As docker: -h is the host name here; help is --help alone.
    .helpOption('--help', 'display help for command')
    .exitOverride(exitOnUsageError)
    .argument('<image>', 'image name or ID')
    .argument('[command...]', 'command and arguments (default: the image’s Entrypoint and Cmd)')
    .option('-d, --detach', 'run in the background and print the container ID')
    .option('--rm', 'remove the container when it exits')
    .option('--name <name>', 'container name')
    .option('-p, --publish <[ip:]host:container[/proto]>', 'publish a container port on the host (repeatable)', collect, [])
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
      '--mount <type=bind|volume|tmpfs,src=…,dst=…[,readonly]>',
      'attach a mount, as docker’s --mount (repeatable)',
      collect,
      [],
    )
    .option('-u, --user <user[:group]>', 'user name or uid, as in the image’s /etc/passwd')
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('--entrypoint <cmd>', 'override the image’s Entrypoint')
    .option('-h, --hostname <name>', 'container host name')
    .option('--network <mode>', 'bridge (default), host or none')
    .option('-i, --interactive', 'keep stdin open and connected to the container')
    .option('-t, --tty', 'give the container a terminal')
    .option('--restart <policy>', 'restart when it ends: no (default), on-failure[:N], always or unless-stopped')
    .option('--pull <policy>', 'pull the image first: missing (default), always or never', 'missing')
    .option('--security-opt <seccomp=unconfined|FILE>', 'seccomp policy: unconfined, or a docker seccomp profile', collect, [])
    .passThroughOptions()
    .action(
      // docker's codes: 127 for a command not in the image (the error's exitCode), 125 when the run itself failed.
      action(
        async (image: string, command: string[], opts: RunOptions, cmd: Command) => {
          if (opts.network !== undefined && !['bridge', 'host', 'none'].includes(opts.network)) {
            throw new StevedoreError('INVALID_ARGUMENT', `invalid network "${opts.network}": use bridge, host or none`);
          }
          const pullPolicy = parsePullPolicy(opts.pull);
          if (opts.tty && !opts.detach && !process.stdin.isTTY) {
            throw new StevedoreError('INVALID_ARGUMENT', 'the input device is not a TTY (drop -t, or run from a terminal)');
          }
          const request: RunRequest = {
            image,
            ...(command.length > 0 ? { command } : {}),
            ...(opts.name !== undefined ? { name: opts.name } : {}),
            env: [...opts.envFile.flatMap(readEnvFile), ...withCallerValues(opts.env)],
            ports: opts.publish,
            ...routeMounts(opts.volume, opts.mount, opts.tmpfs),
            ...(opts.user !== undefined ? { user: opts.user } : {}),
            ...(opts.workdir !== undefined ? { workdir: opts.workdir } : {}),
            ...(opts.entrypoint !== undefined ? { entrypoint: opts.entrypoint } : {}),
            ...(opts.hostname !== undefined ? { hostname: opts.hostname } : {}),
            ...(opts.network !== undefined ? { network: opts.network as RunRequest['network'] & string } : {}),
            tty: opts.tty === true,
            interactive: opts.interactive === true,
            autoRemove: opts.rm === true,
            ...(opts.restart !== undefined ? { restart: opts.restart } : {}),
            ...(opts.securityOpt.length > 0 ? { securityOpt: opts.securityOpt.map(readSecurityOpt) } : {}),
          };
          const engine = engineFor(cmd);
          await pullForRun(engine, image, pullPolicy);
          if (opts.detach) {
            const { id } = await engine.runtime.run(request);
            const notes = await engine.runtime.notes(id);
            for (const note of notes) process.stderr.write(`warning: ${note}\n`);
            return print(id);
          }
          return engine.runAttached(request);
        },
        { failureCode: 125 },
      ),
    );
}
