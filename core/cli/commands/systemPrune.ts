import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import { formatBytes } from '../../text/humanize.js';
import { confirm } from '../confirm.js';
import { action, print } from '../context.js';
import { removeStoppedContainers } from '../stoppedContainers.js';
import { withClient } from '../withClient.js';

/** docker's warning, item by item, for what `system prune` is about to remove. */
function warning(all: boolean, volumes: boolean): string {
  return [
    'WARNING! This will remove:',
    '  - all stopped containers',
    ...(volumes ? ['  - all anonymous volumes not used by at least one container'] : []),
    all ? '  - all images without at least one container associated to them' : '  - all dangling images',
    '  - all build cache',
    '',
    'Are you sure you want to continue?',
  ].join('\n');
}

/** `system prune` beside `system df` (prune.ts made the `system` command). */
export function registerSystemPruneCommand(program: Command): void {
  const system = program.commands.find((c) => c.name() === 'system') ?? program.command('system');
  system
    .command('prune')
    .description(
      'Remove stopped containers, dangling images (-a: unused ones), build cache, and with --volumes anonymous volumes',
    )
    .option('-a, --all', 'every image no container uses, not only dangling ones')
    .option('--volumes', 'anonymous volumes no container uses too')
    .option('-f, --force', 'do not ask for confirmation')
    .action(
      action(async (opts: { all?: boolean; volumes?: boolean; force?: boolean }, cmd: Command) => {
        const all = opts.all === true;
        const volumes = opts.volumes === true;
        if (!opts.force && !(await confirm(warning(all, volumes)))) return 0;
        return withClient(cmd, async (client) => {
          const out: string[] = [];
          const containers = await removeStoppedContainers(client);
          const { removed, failed } = containers;
          let reclaimed = containers.reclaimed;
          if (removed.length > 0) out.push('Deleted Containers:', ...removed, '');
          if (volumes) {
            const pruned = await call(client, 'volumes.prune', { all: false });
            reclaimed += pruned.reclaimedBytes;
            if (pruned.removed.length > 0) out.push('Deleted Volumes:', ...pruned.removed, '');
          }
          const images = await call(client, 'images.prune', { all });
          reclaimed += images.reclaimedBytes;
          const imageLines = images.images.flatMap((i) => [...i.names.map((n) => `untagged: ${n}`), `deleted: ${i.id}`]);
          if (imageLines.length > 0) out.push('Deleted Images:', ...imageLines, '');
          const cache = await call(client, 'builds.prune', {});
          reclaimed += cache.reclaimedBytes;
          if (cache.entries > 0) out.push(`Deleted build cache objects: ${cache.entries}`, '');
          print([...out, `Total reclaimed space: ${formatBytes(reclaimed)}`].join('\n'));
          return failed > 0 ? 1 : 0;
        });
      }),
    );
}
