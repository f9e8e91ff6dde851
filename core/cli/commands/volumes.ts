import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import type { VolumeSummary } from '../../api/volumes.schema.js';
import { StevedoreError } from '../../errors.js';
import { formatBytes } from '../../text/humanize.js';
import { confirm } from '../confirm.js';
import { action, collect, print, printJson } from '../context.js';
import { formatRows } from '../formatTemplate.js';
import { inspectEach } from '../inspectEach.js';
import { parseLabelFlags } from '../labelFlags.js';
import { formatTable } from '../table.js';
import { selectVolumes, VOLUME_FORMAT_HEADERS, volumeFormatRow } from '../volumeListing.js';
import { withClient } from '../withClient.js';

/** docker volume inspect's shape: an array of these. */
function dockerVolume(v: VolumeSummary) {
  return {
    CreatedAt: v.createdAt.replace(/\.\d+Z$/, 'Z'),
    Driver: v.driver,
    Labels: Object.keys(v.labels).length > 0 ? v.labels : null,
    Mountpoint: v.mountpoint,
    Name: v.name,
    Options: null,
    Scope: 'local',
  };
}

/** One verb for each name: its name printed when done, a line of its own for each failure (docker). */
async function eachVolume(names: string[], run: (name: string) => Promise<unknown>): Promise<number> {
  let failed = 0;
  for (const name of names) {
    try {
      await run(name);
      print(name);
    } catch (err) {
      failed++;
      process.stderr.write(`error: ${(err as Error).message}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

export function registerVolumeCommands(program: Command): void {
  const volume = program.command('volume').description('Manage volumes: directories the engine keeps for containers');

  volume
    .command('create')
    .description('Create a volume (a random name when none is given)')
    .argument('[name]', 'volume name: [a-zA-Z0-9][a-zA-Z0-9_.-]+')
    .option('-d, --driver <driver>', 'volume driver (only local)', 'local')
    .option('--label <key=value>', 'set a label (repeatable)', collect, [])
    .action(
      action(async (name: string | undefined, opts: { driver: string; label: string[] }, cmd: Command) => {
        if (opts.driver !== 'local') {
          throw new StevedoreError('INVALID_ARGUMENT', `volume driver "${opts.driver}" is not supported: only local`);
        }
        const labels = parseLabelFlags(opts.label);
        const made = await withClient(cmd, (client) =>
          call(client, 'volumes.create', { ...(name !== undefined ? { name } : {}), labels }),
        );
        print(made.name);
      }),
    );

  volume
    .command('ls')
    .alias('list')
    .description('List volumes')
    .option('-q, --quiet', 'print volume names only')
    .option('-f, --filter <filter>', 'dangling=true|false, name=, label=KEY[=VALUE] (repeatable)', collect, [])
    .option('--format <template>', 'Go template: {{.Name}}, {{.Driver}}, {{.Mountpoint}}, {{.Labels}}, {{json .}}, table …')
    .option('--json', 'print JSON')
    .action(
      action(async (opts: { quiet?: boolean; json?: boolean; filter: string[]; format?: string }, cmd: Command) => {
        const volumes = selectVolumes(await withClient(cmd, (client) => call(client, 'volumes.list', {})), opts.filter);
        if (opts.json) return printJson(volumes);
        if (opts.quiet) return volumes.length > 0 ? print(volumes.map((v) => v.name).join('\n')) : undefined;
        if (opts.format !== undefined) {
          const text = formatRows(opts.format, volumes.map(volumeFormatRow), VOLUME_FORMAT_HEADERS);
          return text ? print(text) : undefined;
        }
        print(
          formatTable(
            ['DRIVER', 'VOLUME NAME'],
            volumes.map((v) => [v.driver, v.name]),
          ),
        );
      }),
    );

  volume
    .command('inspect')
    .description('Show volumes as docker’s JSON')
    .argument('<names...>', 'volume names')
    .option('--json', 'print Stevedore’s own shape (with the containers that use each)')
    .action(
      action(async (names: string[], opts: { json?: boolean }, cmd: Command) => {
        return withClient(cmd, (client) =>
          inspectEach(
            names,
            (name) => call(client, 'volumes.inspect', { name }),
            (found) => (opts.json ? found : dockerVolume(found)),
          ),
        );
      }),
    );

  volume
    .command('rm')
    .alias('remove')
    .description('Remove volumes (refused while a container uses one)')
    .argument('<names...>', 'volume names')
    .option('-f, --force', 'no error for a volume that does not exist')
    .action(
      action(async (names: string[], opts: { force?: boolean }, cmd: Command) => {
        return withClient(cmd, (client) =>
          eachVolume(names, (name) => call(client, 'volumes.remove', { name, force: opts.force === true })),
        );
      }),
    );

  volume
    .command('prune')
    .description('Remove unused anonymous volumes (-a: every unused volume)')
    .option('-a, --all', 'named volumes too')
    .option('-f, --force', 'do not ask for confirmation')
    .action(
      action(async (opts: { all?: boolean; force?: boolean }, cmd: Command) => {
        if (!opts.force) {
          const what = opts.all ? 'all local volumes' : 'anonymous local volumes';
          const yes = await confirm(
            `WARNING! This will remove ${what} not used by at least one container.\nAre you sure you want to continue?`,
          );
          if (!yes) return 0;
        }
        const result = await withClient(cmd, (client) => call(client, 'volumes.prune', { all: opts.all === true }));
        const lines = result.removed.length > 0 ? ['Deleted Volumes:', ...result.removed, ''] : [];
        print([...lines, `Total reclaimed space: ${formatBytes(result.reclaimedBytes)}`].join('\n'));
      }),
    );
}
