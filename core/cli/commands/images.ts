import type { Command } from 'commander';
import { formatBytes, relativeTime, shortId } from '../../api/humanize.js';
import type { ImageSummary } from '../../api/images.schema.js';
import type { Engine } from '../../engine.js';
import { ImageRecords } from '../../images/imageRecords.js';
import { action, collect, engineFor, print, printJson, printLines } from '../context.js';
import { formatRows } from '../formatTemplate.js';
import { dockerSize, filtersNeedLabels, IMAGE_FORMAT_HEADERS, imageFormatRow, selectImages } from '../imageListing.js';
import { type DockerSizes, dockerSizes } from '../imageSizes.js';
import { formatTable } from '../table.js';

/** Each image's config labels, by image ID, read once when a filter first asks. */
function labelsIn(engine: Engine): (image: ImageSummary) => Record<string, string> | undefined {
  let byId: Map<string, Record<string, string>> | undefined;
  return (image) => {
    byId ??= new Map(
      new ImageRecords(engine.store).all().images.map((r) => [r.configDigest as string, r.config.config?.Labels ?? {}]),
    );
    return byId.get(image.id);
  };
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
          const engine = engineFor(cmd);
          const all = engine.listImages();
          const images = selectImages(
            all,
            repository,
            opts.filter,
            filtersNeedLabels(opts.filter) ? labelsIn(engine) : undefined,
          );
          if (opts.json) return printJson(images);
          const id = (d: string) => (opts.trunc ? shortId(d) : d);
          if (opts.quiet) return printLines([...new Set(images.map((i) => id(i.id)))]);
          // Every image counts for what is shared, not only those listed.
          const sizes = images.length > 0 ? await dockerSizes(engine.store, all) : new Map<string, DockerSizes>();
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
        await engineFor(cmd).tagImage(source, target);
      }),
    );

  program
    .command('rmi')
    .description('Remove images (by name: untag; by ID: the image)')
    .argument('<refs...>', 'image names or IDs')
    .option('-f, --force', 'remove an image by ID even when it has several names; untag one only stopped containers use')
    .action(
      action(async (refs: string[], opts: { force?: boolean }, cmd: Command) => {
        const result = await engineFor(cmd).removeImages(refs, opts.force);
        for (const u of result.untagged) print(`Untagged: ${u}`);
        for (const d of result.deleted) print(`Deleted: ${d}`);
      }),
    );
}
