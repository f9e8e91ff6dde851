import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { ContainerSummary, LogEntry } from '../../api/containers.schema.js';
import { call } from '../../api/engineClient.js';
import { Engine } from '../../engine.js';
import { StevedoreError } from '../../errors.js';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../../runtime/attachDetachKeys.js';
import { containerPaths } from '../../runtime/containerRecord.js';
import { writeLogEntries } from '../../runtime/logOutput.js';
import { resolveRoot } from '../../store/layout.js';
import { containerStatus, formatPort, relativeTime, shortId } from '../../text/humanize.js';
import { startAttached } from '../attachedStart.js';
import { withCallerValues } from '../callerEnv.js';
import { exitCodeWhenEnded } from '../containerEnd.js';
import {
  CONTAINER_FORMAT_HEADERS,
  containerFormatRow,
  filtersNameContainers,
  filtersReachStopped,
  parseLast,
  selectContainers,
} from '../containerListing.js';
import { action, collect, engineFor, exitOnUsageError, print, printJson, printLines } from '../context.js';
import { eachContainer } from '../eachContainer.js';
import { readEnvFile } from '../envFile.js';
import { formatRows } from '../formatTemplate.js';
import { inLogWindow, parseLogBound } from '../logWindow.js';
import { formatTable } from '../table.js';
import { withClient } from '../withClient.js';

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function psTable(containers: ContainerSummary[], full: boolean): string {
  return formatTable(
    ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'],
    containers.map((c) => [
      full ? c.id : shortId(c.id),
      c.image,
      `"${full ? c.command : truncate(c.command, 20)}"`,
      relativeTime(c.created),
      containerStatus(c),
      c.ports.map(formatPort).join(', '),
      c.name,
    ]),
  );
}

/**
 * `stop` and `restart`: docker's grace period (`-t`, or its current name `--timeout`; not given:
 * the container's `--stop-timeout`, else 10 s) and signal (`-s`; not given: the container's stop
 * signal), then the contract call for each container.
 */
function registerGraceCommand(program: Command, name: 'stop' | 'restart', description: string): void {
  program
    .command(name)
    .description(description)
    .argument('<containers...>', 'names or IDs')
    .option(
      '-t, --time <seconds>',
      'seconds to wait before killing (default: its --stop-timeout, else 10; -1: as long as it takes)',
    )
    .option('--timeout <seconds>', 'the same as -t (docker’s current name)')
    .option('-s, --signal <signal>', 'the signal to send (default: its stop signal)')
    .action(
      action(async (refs: string[], opts: { time?: string; timeout?: string; signal?: string }, cmd: Command) => {
        const given = opts.timeout ?? opts.time;
        const how = {
          ...(given === undefined ? {} : { timeout: parseSeconds(given) }),
          ...(opts.signal === undefined ? {} : { signal: opts.signal }),
        };
        return eachContainer(name, (client, id) => call(client, `containers.${name}`, { id, ...how }))(refs, opts, cmd);
      }),
    );
}

/** `-t`'s seconds before a kill (stop, restart): a whole number, or -1 to wait as long as it takes. */
function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < -1) throw new StevedoreError('INVALID_ARGUMENT', `invalid time "${text}"`);
  return seconds;
}

interface ExecOptions {
  interactive?: boolean;
  tty?: boolean;
  env: string[];
  envFile: string[];
  user?: string;
  workdir?: string;
  detach?: boolean;
}

export function registerContainerCommands(program: Command): void {
  program
    .command('ps')
    .description('List containers (running ones; -a for all)')
    .option('-a, --all', 'show stopped containers too')
    .option('-q, --quiet', 'print container IDs only')
    .option('--no-trunc', 'print full IDs and commands')
    .option('-f, --filter <filter>', 'status=, name=, id=, ancestor=, exited=, label=, before=, since= (repeatable)', collect, [])
    .option('--format <template>', 'Go template: {{.ID}}, {{.Names}}, {{json .}}, table …')
    .option('-n, --last <n>', 'the n last created containers, of every state', '-1')
    .option('-l, --latest', 'the last created container, of every state')
    .option('--json', 'print JSON')
    .action(
      action(
        async (
          opts: {
            all?: boolean;
            quiet?: boolean;
            trunc: boolean;
            json?: boolean;
            filter: string[];
            format?: string;
            last: string;
            latest?: boolean;
          },
          cmd: Command,
        ) => {
          const limit = opts.latest ? 1 : parseLast(opts.last);
          const all = opts.all === true || limit > 0 || filtersReachStopped(opts.filter);
          const { listed, every } = await withClient(cmd, async (client) => {
            const listed = await call(client, 'containers.list', { all });
            const every =
              all || !filtersNameContainers(opts.filter) ? listed : await call(client, 'containers.list', { all: true });
            return { listed, every };
          });
          const selected = selectContainers(listed, opts.filter, every);
          // Newest first already: docker's -n keeps the first n that pass the filters.
          const containers = limit > 0 ? selected.slice(0, limit) : selected;
          if (opts.json) return printJson(containers);
          if (opts.quiet) return printLines(containers.map((c) => (opts.trunc ? shortId(c.id) : c.id)));
          if (opts.format !== undefined) {
            const text = formatRows(
              opts.format,
              containers.map((c) => containerFormatRow(c, !opts.trunc)),
              CONTAINER_FORMAT_HEADERS,
            );
            if (text) print(text);
            return;
          }
          print(psTable(containers, !opts.trunc));
        },
      ),
    );

  program
    .command('start')
    .description('Start one or more stopped containers')
    .argument('<containers...>', 'names or IDs')
    .option('-a, --attach', 'print its output until it ends, and exit with its exit code')
    .option('-i, --interactive', "attach this process's stdin too (and its output, as -a)")
    .option('--detach-keys <keys>', 'with -i: the key sequence that detaches, leaving it running', DEFAULT_DETACH_KEYS)
    .action(
      action(async (refs: string[], opts: { attach?: boolean; interactive?: boolean; detachKeys: string }, cmd: Command) => {
        // docker's `start -i` attaches output too.
        if (!opts.attach && !opts.interactive)
          return eachContainer('start', (client, id) => call(client, 'containers.start', { id }))(refs, opts, cmd);
        if (refs.length > 1)
          throw new StevedoreError('INVALID_ARGUMENT', 'you cannot start and attach multiple containers at once');
        const detachKeys = opts.interactive ? parseDetachKeys(opts.detachKeys) : undefined;
        // The log through the engine client; stdin through the container's attach socket, which
        // the engine in this process finds on this machine.
        const stdin = detachKeys ? { attacher: engineFor(cmd).containerAttacher(), detachKeys } : undefined;
        return withClient(cmd, (client) => startAttached(client, refs[0]!, stdin));
      }),
    );

  registerGraceCommand(program, 'stop', 'Stop containers: the image’s stop signal, then SIGKILL after the grace period');
  registerGraceCommand(program, 'restart', 'Stop and start containers again');

  program
    .command('kill')
    .description('Send a signal (default SIGKILL) to running containers')
    .argument('<containers...>', 'names or IDs')
    .option('-s, --signal <signal>', 'signal name or number', 'SIGKILL')
    .action(
      action(async (refs: string[], opts: { signal: string }, cmd: Command) =>
        eachContainer('kill', (client, id) => call(client, 'containers.kill', { id, signal: opts.signal }))(refs, opts, cmd),
      ),
    );

  program
    .command('rm')
    .description('Remove containers (their files and upper directory)')
    .argument('<containers...>', 'names or IDs')
    .option('-f, --force', 'kill and remove a running container')
    .option('-v, --volumes', 'remove its anonymous volumes too')
    .action(
      action(async (refs: string[], opts: { force?: boolean; volumes?: boolean }, cmd: Command) =>
        eachContainer('remove', (client, id) =>
          call(client, 'containers.remove', { id, force: opts.force === true, volumes: opts.volumes === true }),
        )(refs, opts, cmd),
      ),
    );

  program
    .command('logs')
    .description('Print a container’s output')
    .argument('<container>', 'name or ID')
    .option('-f, --follow', 'keep printing new output until the container ends')
    .option('-n, --tail <lines>', 'only the last lines')
    .option('-t, --timestamps', 'show the time of each line')
    .option('--since <time>', 'only lines from this time on: RFC 3339, Unix seconds, or a duration back (10m, 1h30m)')
    .option('--until <time>', 'only lines before this time (same forms)')
    .action(
      action(
        async (
          ref: string,
          opts: { follow?: boolean; tail?: string; timestamps?: boolean; since?: string; until?: string },
          cmd: Command,
        ) => {
          const tail = opts.tail === undefined || opts.tail === 'all' ? undefined : Number(opts.tail);
          if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) {
            throw new StevedoreError('INVALID_ARGUMENT', `invalid --tail "${opts.tail}"`);
          }
          const now = Date.now();
          const since = opts.since === undefined ? undefined : parseLogBound('since', opts.since, now);
          const until = opts.until === undefined ? undefined : parseLogBound('until', opts.until, now);
          const write = (entries: LogEntry[]) =>
            writeLogEntries(
              entries.filter((e) => inLogWindow(e, since, until)),
              opts.timestamps === true,
            );
          await withClient(cmd, async (client) => {
            let chunk = await call(client, 'containers.logs', { id: ref, ...(tail !== undefined ? { tail } : {}) });
            write(chunk.entries);
            // As docker: following stops at --until.
            while (opts.follow && !chunk.ended && (until === undefined || Date.now() < until)) {
              chunk = await call(client, 'containers.logs', { id: ref, after: chunk.cursor, follow: true });
              write(chunk.entries);
            }
          });
        },
      ),
    );

  program
    .command('wait')
    .description('Wait until containers stop, then print their exit codes')
    .argument('<containers...>', 'names or IDs')
    .action(
      action(async (refs: string[], _opts: unknown, cmd: Command) => {
        return withClient(cmd, async (client) => {
          for (const ref of refs) print(String(await exitCodeWhenEnded(client, ref)));
        });
      }),
    );

  program
    .command('port')
    .description('List a container’s published ports, or where one of its ports is published')
    .argument('<container>', 'name or ID')
    .argument('[port]', 'PRIVATE_PORT[/PROTOCOL]')
    .action(
      action(async (ref: string, port: string | undefined, _opts: unknown, cmd: Command) => {
        const container = await withClient(cmd, (client) => call(client, 'containers.inspect', { id: ref }));
        const address = (p: ContainerSummary['ports'][number]) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}`;
        if (port === undefined) {
          if (container.ports.length > 0)
            print(container.ports.map((p) => `${p.containerPort}/${p.protocol} -> ${address(p)}`).join('\n'));
          return;
        }
        const [number, protocol = 'tcp'] = port.split('/');
        const matches = container.ports.filter((p) => String(p.containerPort) === number && p.protocol === protocol);
        if (matches.length === 0) {
          throw new StevedoreError('NOT_FOUND', `no public port '${number}/${protocol}' published for ${container.name}`);
        }
        print(matches.map(address).join('\n'));
      }),
    );

  program
    .command('exec')
    .description('Run a command in a running container')
    .exitOverride(exitOnUsageError)
    .argument('<container>', 'name or ID')
    .argument('<command...>', 'command and arguments')
    .option('-i, --interactive', 'keep stdin open')
    .option('-t, --tty', 'give the command a terminal')
    .option('-e, --env <K=V>', 'set an environment variable (repeatable)', collect, [])
    .option('--env-file <file>', 'read environment variables from a file (repeatable)', collect, [])
    .option('-u, --user <user[:group]>', 'user name or uid, as in the container’s /etc/passwd')
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('-d, --detach', 'start the command and return at once; its output is discarded')
    .passThroughOptions()
    .action(
      action(
        async (ref: string, command: string[], opts: ExecOptions, cmd: Command) => {
          if (opts.detach && opts.tty) {
            throw new StevedoreError(
              'INVALID_ARGUMENT',
              'exec -d with -t is not supported: a detached command has no terminal here',
            );
          }
          if (opts.tty && !opts.detach && !process.stdin.isTTY) {
            throw new StevedoreError('INVALID_ARGUMENT', 'the input device is not a TTY (drop -t, or run from a terminal)');
          }
          // In-process: the command's stdio are this process's (a terminal, or pipes), which no contract call carries.
          return engineFor(cmd).execAttached(ref, {
            command,
            tty: opts.tty === true,
            interactive: opts.interactive === true,
            env: [...opts.envFile.flatMap(readEnvFile), ...withCallerValues(opts.env)],
            ...(opts.user !== undefined ? { user: opts.user } : {}),
            ...(opts.workdir !== undefined ? { workdir: opts.workdir } : {}),
            ...(opts.detach ? { detach: true } : {}),
          });
        },
        { failureCode: 125 },
      ),
    );

  // conmon runs this when a container ends: record the end, give back its network and mount.
  program
    .command('container-cleanup', { hidden: true })
    .argument('<id>')
    .action(
      action(async (id: string, _opts: unknown, cmd: Command) => {
        // conmon's exit command, on the machine that ran the container: always the native runtime.
        const { root } = cmd.optsWithGlobals<{ root?: string }>();
        const storeRoot = resolveRoot(root);
        // Removed meanwhile (rm -f, or the whole store): nothing to settle, and opening the store
        // would make its directories again.
        if (!existsSync(containerPaths(storeRoot, id).record)) return;
        await new Engine(storeRoot).settleContainerExit(id);
      }),
    );
}
