import type { Command } from 'commander';
import { call, type EngineClient } from '../../api/engineClient.js';
import type { ImageSummary } from '../../api/images.schema.js';
import { formatBytes, relativeTime, shortId } from '../../text/humanize.js';
import { action, collect, print, printJson, printLines } from '../context.js';
import { formatRows } from '../formatTemplate.js';
import { dockerSize, filtersNeedLabels, IMAGE_FORMAT_HEADERS, imageFormatRow, selectImages } from '../imageListing.js';
import { formatTable } from '../table.js';
import { withClient } from '../withClient.js';

/**
 * Each image's config labels, by image ID (a label filter's need): one inspect per image, asked by
 * its index entry's digest (an ID several entries share would be ambiguous; their config is one).
 */
async function labelsOf(client: EngineClient, images: ImageSummary[]): Promise<Map<string, Record<string, string>>> {
  const byId = new Map<string, Record<string, string>>();
  for (const image of images) {
    if (!byId.has(image.id)) byId.set(image.id, (await call(client, 'images.inspect', { ref: image.digest })).config.labels);
  }
  return byId;
}

export function registerImageCommands(program: Command): void {
  program
    .command('images')
    .description('List images in the store')
    .argument('[repository]', 'only this repository (REPOSITORY or REPOSITORY:TAG)')
    .option('-a, --all', 'show all images (there are no hidden intermediate ones: the same list)')
    .option(
      '-f, --filter <filter>',
      'dangling=true|false, reference=GLOB, before=IMAGE, since=IMAGE, label=KEY[=VALUE], until=TIME (repeatable)',
      collect,
      [],
    )
    .option('--format <template>', 'Go template: {{.ID}}, {{.Repository}}, {{.Size}}, {{.ContentSize}}, {{json .}}, table …')
    .option('--digests', 'show digests')
    .option('--json', 'print JSON')
    .option('-q, --quiet', 'print image IDs only')
    .option('--no-trunc', 'print full image IDs')
    .action(
      action(
        async (
          repository: string | undefined,
          opts: { filter: string[]; format?: string; digests?: boolean; json?: boolean; quiet?: boolean; trunc: boolean },
          cmd: Command,
        ) => {
          const { images, sizes } = await withClient(cmd, async (client) => {
            const all = await call(client, 'images.list', {});
            const labels = filtersNeedLabels(opts.filter) ? await labelsOf(client, all) : undefined;
            const images = selectImages(all, repository, opts.filter, labels && ((image) => labels.get(image.id)));
            // Every image counts for what is shared, not only those listed (the engine measures them all).
            const wanted = images.length > 0 && !opts.json && !opts.quiet;
            const sizes = new Map(wanted ? (await call(client, 'images.sizes', {})).map((s) => [s.id, s]) : []);
            return { images, sizes };
          });
          if (opts.json) return printJson(images);
          const id = (d: string) => (opts.trunc ? shortId(d) : d);
          if (opts.quiet) return printLines([...new Set(images.map((i) => id(i.id)))]);
          if (opts.format !== undefined) {
            const rows = images.map((i) => imageFormatRow(i, !opts.trunc, sizes.get(i.id)));
            const text = formatRows(opts.format, rows, IMAGE_FORMAT_HEADERS);
            if (text) print(text);
            return;
          }
          const digest = (i: ImageSummary) => (opts.digests ? [i.digest] : []);
          print(
            formatTable(
              [
                'REPOSITORY',
                'TAG',
                ...(opts.digests ? ['DIGEST'] : []),
                'IMAGE ID',
                'CREATED',
                'SIZE',
                'CONTENT SIZE',
                'SHARED SIZE',
              ],
              images.map((i) => [
                i.repository,
                i.tag,
                ...digest(i),
                id(i.id),
                relativeTime(i.created),
                dockerSize(sizes.get(i.id)?.size ?? null),
                formatBytes(i.size),
                dockerSize(sizes.get(i.id)?.sharedSize ?? null),
              ]),
            ),
          );
        },
      ),
    );

  program
    .command('tag')
    .description('Give an image another name')
    .argument('<source>', 'image name or ID')
    .argument('<target>', 'new name, REPOSITORY[:TAG]')
    .action(
      action(async (source: string, target: string, _o: unknown, cmd: Command) => {
        await withClient(cmd, (client) => call(client, 'images.tag', { source, target }));
      }),
    );

  program
    .command('rmi')
    .description('Remove images (by name: untag; by ID: the image)')
    .argument('<refs...>', 'image names or IDs')
    .option('-f, --force', 'remove an image by ID even when it has several names; untag one only stopped containers use')
    .action(
      action(async (refs: string[], opts: { force?: boolean }, cmd: Command) => {
        const result = await withClient(cmd, (client) =>
          call(client, 'images.remove', { refs, ...(opts.force !== undefined ? { force: opts.force } : {}) }),
        );
        for (const u of result.untagged) print(`Untagged: ${u}`);
        for (const d of result.deleted) print(`Deleted: ${d}`);
      }),
    );
}
