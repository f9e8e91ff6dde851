import type { Command } from 'commander';
import { call, type EngineClient } from '../../api/engineClient.js';
import type { ContainerStats } from '../../api/stats.schema.js';
import { formatBinaryBytes, formatBytes, shortId } from '../../text/humanize.js';
import { action, print, printJson } from '../context.js';
import { type FormatRow, formatRows } from '../formatTemplate.js';
import { withClient } from '../withClient.js';

/** `--format`'s fields for a reading and the headers `table` prints for them, as docker stats'. */
const FORMAT_HEADERS = {
  Container: 'CONTAINER',
  Name: 'NAME',
  ID: 'CONTAINER ID',
  CPUPerc: 'CPU %',
  MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %',
  NetIO: 'NET I/O',
  BlockIO: 'BLOCK I/O',
  PIDs: 'PIDS',
};

/** A reading as `--format` sees it; `Container` is the name or ID as typed, else the short ID, as docker's. */
function formatRow(s: ContainerStats, asked: string | undefined, full: boolean): FormatRow {
  const id = full ? s.id : shortId(s.id);
  return {
    Container: asked ?? id,
    Name: s.name,
    ID: id,
    CPUPerc: `${s.cpuPercent.toFixed(2)}%`,
    MemUsage: `${formatBinaryBytes(s.memoryUsageBytes)} / ${formatBinaryBytes(s.memoryLimitBytes)}`,
    MemPerc: `${s.memoryPercent.toFixed(2)}%`,
    NetIO: `${formatBytes(s.netRxBytes)} / ${formatBytes(s.netTxBytes)}`,
    BlockIO: `${formatBytes(s.blockReadBytes)} / ${formatBytes(s.blockWriteBytes)}`,
    PIDs: String(s.pids),
  };
}

/** docker stats' own table, as a template of its fields. */
const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';

/** The readings as docker stats prints them (memory in binary units, 1.5MiB; I/O in decimal ones, 1.2kB), or as `--format` says. */
function statsOutput(stats: ContainerStats[], refs: string[], full: boolean, format = DEFAULT_FORMAT): string {
  return formatRows(
    format,
    stats.map((s, i) => formatRow(s, refs[i], full)),
    FORMAT_HEADERS,
  );
}

/** The containers asked for, or (none named) the running ones, with -a every one. */
async function measure(client: EngineClient, refs: string[], all: boolean): Promise<ContainerStats[]> {
  const ids = refs.length > 0 ? refs : (await call(client, 'containers.list', { all })).map((c) => c.id);
  return ids.length > 0 ? call(client, 'containers.stats', { ids }) : [];
}

export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('Show containers’ CPU, memory, network and block I/O (streamed until Ctrl-C; --no-stream: once)')
    .argument('[containers...]', 'names or IDs (default: the running ones)')
    .option('-a, --all', 'every container, not only running ones')
    .option('--no-stream', 'print one reading and exit')
    .option('--no-trunc', 'print full IDs')
    .option('--json', 'print JSON (one reading)')
    .option('--format <template>', 'Go template: {{.Name}}, {{.CPUPerc}}, {{.MemUsage}}, {{json .}}, table …')
    .action(
      action(
        async (
          refs: string[],
          opts: { all?: boolean; stream: boolean; trunc: boolean; json?: boolean; format?: string },
          cmd: Command,
        ) => {
          return withClient(cmd, async (client) => {
            const reading = async () =>
              statsOutput(await measure(client, refs, opts.all === true), refs, !opts.trunc, opts.format);
            if (opts.json) return printJson(await measure(client, refs, opts.all === true));
            if (!opts.stream) return print(await reading());
            // Streamed: each reading takes about a second; a terminal is cleared before each, as docker does.
            for (;;) {
              const table = await reading();
              if (process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
              print(table);
            }
          });
        },
      ),
    );
}
