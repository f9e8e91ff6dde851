import type { Command } from 'commander';
import { call, type EngineClient } from '../../api/engineClient.js';
import type { ContainerStats } from '../../api/stats.schema.js';
import { formatBinaryBytes, formatBytes, shortId } from '../../text/humanize.js';
import { action, print, printJson } from '../context.js';
import { formatTable } from '../table.js';
import { withClient } from '../withClient.js';

/** docker stats' table: memory in binary units (1.5MiB), I/O in decimal ones (1.2kB). */
function statsTable(stats: ContainerStats[], full: boolean): string {
  return formatTable(
    ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'],
    stats.map((s) => [
      full ? s.id : shortId(s.id),
      s.name,
      `${s.cpuPercent.toFixed(2)}%`,
      `${formatBinaryBytes(s.memoryUsageBytes)} / ${formatBinaryBytes(s.memoryLimitBytes)}`,
      `${s.memoryPercent.toFixed(2)}%`,
      `${formatBytes(s.netRxBytes)} / ${formatBytes(s.netTxBytes)}`,
      `${formatBytes(s.blockReadBytes)} / ${formatBytes(s.blockWriteBytes)}`,
      String(s.pids),
    ]),
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
    .action(
      action(async (refs: string[], opts: { all?: boolean; stream: boolean; trunc: boolean; json?: boolean }, cmd: Command) => {
        return withClient(cmd, async (client) => {
          if (opts.json) return printJson(await measure(client, refs, opts.all === true));
          if (!opts.stream) return print(statsTable(await measure(client, refs, opts.all === true), !opts.trunc));
          // Streamed: each reading takes about a second; a terminal is cleared before each, as docker does.
          for (;;) {
            const table = statsTable(await measure(client, refs, opts.all === true), !opts.trunc);
            if (process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
            print(table);
          }
        });
      }),
    );
}
