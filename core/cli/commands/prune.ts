import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import { formatBytes } from '../../text/humanize.js';
import { confirm } from '../confirm.js';
import { action, print, printJson } from '../context.js';
import { removeStoppedContainers } from '../stoppedContainers.js';
import { formatTable } from '../table.js';
import { withClient } from '../withClient.js';

/** docker's `image prune`, `container prune` and `system df`, on the engine's own figures. */
export function registerPruneCommands(program: Command): void {
  const image = program.command('image').description('Manage images (image prune; other image verbs are the top-level ones)');
  image
    .command('prune')
    .description('Remove images no name points to (-a: every image no container uses), then the blobs only they held')
    .option('-a, --all', 'every image no container uses, named or not')
    .option('-f, --force', 'do not ask for confirmation')
    .action(
      action(async (opts: { all?: boolean; force?: boolean }, cmd: Command) => {
        if (!opts.force) {
          const what = opts.all ? 'all images without at least one container associated to them' : 'all dangling images';
          if (!(await confirm(`WARNING! This will remove ${what}.\nAre you sure you want to continue?`))) return 0;
        }
        const result = await withClient(cmd, (client) => call(client, 'images.prune', { all: opts.all === true }));
        const lines = result.images.flatMap((i) => [...i.names.map((n) => `untagged: ${n}`), `deleted: ${i.id}`]);
        print(
          [
            ...(lines.length > 0 ? ['Deleted Images:', ...lines, ''] : []),
            `Total reclaimed space: ${formatBytes(result.reclaimedBytes)}`,
          ].join('\n'),
        );
      }),
    );

  const container = program
    .command('container')
    .description('Manage containers (container prune; other container verbs are the top-level ones)');
  container
    .command('prune')
    .description('Remove every stopped container')
    .option('-f, --force', 'do not ask for confirmation')
    .action(
      action(async (opts: { force?: boolean }, cmd: Command) => {
        if (
          !opts.force &&
          !(await confirm('WARNING! This will remove all stopped containers.\nAre you sure you want to continue?'))
        ) {
          return 0;
        }
        const { removed, reclaimed, failed } = await withClient(cmd, removeStoppedContainers);
        print(
          [
            ...(removed.length > 0 ? ['Deleted Containers:', ...removed, ''] : []),
            `Total reclaimed space: ${formatBytes(reclaimed)}`,
          ].join('\n'),
        );
        return failed > 0 ? 1 : 0;
      }),
    );

  const system = program.command('system').description('The engine as a whole: disk use');
  system
    .command('df')
    .description('Show the disk the store uses: images, containers, volumes and build cache')
    .option('--json', 'print JSON')
    .action(
      action(async (opts: { json?: boolean }, cmd: Command) => {
        const { usage, images, inUse, unused, containers, containerBytes, volumes, bytesByVolume } = await withClient(
          cmd,
          async (client) => ({
            usage: await call(client, 'store.df', {}),
            images: await call(client, 'images.list', {}),
            inUse: await call(client, 'images.inUse', {}),
            unused: await call(client, 'images.prune', { all: true, dryRun: true }),
            containers: await call(client, 'containers.list', { all: true }),
            containerBytes: new Map((await call(client, 'containers.diskUsage', {})).map((u) => [u.id, u.bytes])),
            volumes: await call(client, 'volumes.list', {}),
            bytesByVolume: new Map((await call(client, 'volumes.diskUsage', {})).map((u) => [u.name, u.bytes])),
          }),
        );
        const running = containers.filter((c) => c.state === 'running' || c.state === 'paused');
        const stoppedBytes = containers
          .filter((c) => !running.includes(c))
          .reduce((sum, c) => sum + (containerBytes.get(c.id) ?? 0), 0);
        const volumeBytes = volumes.map((v) => bytesByVolume.get(v.name) ?? 0);
        const idleVolumeBytes = volumes.reduce((sum, v, i) => sum + (v.usedBy.length === 0 ? (volumeBytes[i] ?? 0) : 0), 0);
        const totalVolumeBytes = volumeBytes.reduce((a, b) => a + b, 0);
        const distinctImages = new Set(images.map((i) => i.digest)).size;
        if (opts.json)
          return printJson({ ...usage, images: distinctImages, containers: containers.length, volumes: volumes.length });
        const share = (part: number, whole: number) =>
          `${formatBytes(part)} (${whole > 0 ? Math.round((part / whole) * 100) : 0}%)`;
        print(
          formatTable(
            ['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'],
            [
              [
                'Images',
                `${distinctImages}`,
                `${inUse.length}`,
                formatBytes(usage.blobs.bytes + usage.snapshots.bytes),
                share(unused.reclaimedBytes, usage.blobs.bytes + usage.snapshots.bytes),
              ],
              [
                'Containers',
                `${containers.length}`,
                `${running.length}`,
                formatBytes(usage.containers.bytes),
                share(stoppedBytes, usage.containers.bytes),
              ],
              [
                'Local Volumes',
                `${volumes.length}`,
                `${volumes.filter((v) => v.usedBy.length > 0).length}`,
                formatBytes(totalVolumeBytes),
                share(idleVolumeBytes, totalVolumeBytes),
              ],
              [
                'Build Cache',
                `${usage.buildCache.count}`,
                '0',
                formatBytes(usage.buildCache.bytes),
                formatBytes(usage.buildCache.bytes),
              ],
            ],
          ),
        );
      }),
    );
}
