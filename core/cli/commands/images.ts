import type { Command } from 'commander';
import { formatBytes, relativeTime, shortId } from '../../api/humanize.js';
import type { ImageSummary } from '../../api/images.schema.js';
import { action, collect, engineFor, print, printJson, printLines } from '../context.js';
import { formatRows } from '../formatTemplate.js';
import { IMAGE_FORMAT_HEADERS, imageFormatRow, selectImages } from '../imageListing.js';
import { formatTable } from '../table.js';

export function registerImageCommands(program: Command): void {
  program
    .command('images')
    .description('List images in the store')
    .argument('[repository]', 'only this repository (REPOSITORY or REPOSITORY:TAG)')
    .option('-a, --all', 'show all images (there are no hidden intermediate ones: the same list)')
    .option('-f, --filter <filter>', 'dangling=true|false, reference=GLOB, before=IMAGE, since=IMAGE (repeatable)', collect, [])
    .option('--format <template>', 'Go template: {{.ID}}, {{.Repository}}, {{json .}}, table …')
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
          const images = selectImages(engineFor(cmd).listImages(), repository, opts.filter);
          if (opts.json) return printJson(images);
          const id = (d: string) => (opts.trunc ? shortId(d) : d);
          if (opts.quiet) return printLines([...new Set(images.map((i) => id(i.id)))]);
          if (opts.format !== undefined) {
            const rows = images.map((i) => imageFormatRow(i, !opts.trunc));
            const text = formatRows(opts.format, rows, IMAGE_FORMAT_HEADERS);
            if (text) print(text);
            return;
          }
          const digest = (i: ImageSummary) => (opts.digests ? [i.digest] : []);
          print(
            formatTable(
              ['REPOSITORY', 'TAG', ...(opts.digests ? ['DIGEST'] : []), 'IMAGE ID', 'CREATED', 'SIZE', 'SHARED SIZE'],
              images.map((i) => [
                i.repository,
                i.tag,
                ...digest(i),
                id(i.id),
                relativeTime(i.created),
                formatBytes(i.size),
                formatBytes(i.sharedSize),
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
