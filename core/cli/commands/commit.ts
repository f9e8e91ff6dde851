import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { storeLayerImage } from '../../builder/layerImage.js';
import { recordEvent } from '../../store/eventJournal.js';
import { action, collect, engineFor, print } from '../context.js';

/** docker's `commit` and `import`: an image from a container's changes, or from a tar. */
export function registerCommitCommands(program: Command): void {
  program
    .command('commit')
    .description('Make an image of a container’s changes over its image')
    .argument('<container>', 'name or ID')
    .argument('[reference]', 'REPOSITORY[:TAG] to name the image')
    .option('-c, --change <instruction>', 'a Dockerfile instruction for the config: CMD, ENV, … (repeatable)', collect, [])
    .option('-m, --message <text>', 'the history entry’s comment')
    .option('-a, --author <name>', 'the image’s author')
    .action(
      action(
        async (
          ref: string,
          reference: string | undefined,
          opts: { change: string[]; message?: string; author?: string },
          cmd: Command,
        ) => {
          const engine = engineFor(cmd);
          const { tar, imageId } = await engine.containerExtras().layerTar(ref);
          const id = await storeLayerImage(engine.store, {
            base: engine.resolveImage(imageId),
            tar,
            tags: reference ? [reference] : [],
            changes: opts.change,
            createdBy: `stevedore commit ${ref}`,
            comment: opts.message,
            author: opts.author,
          });
          recordEvent(engine.store.root, { Type: 'container', Action: 'commit', id: ref, attributes: { imageID: id } });
          print(id);
        },
      ),
    );

  program
    .command('import')
    .description('Make a one-layer image of a tar (a file, or - for stdin), as export writes')
    .argument('<file>', 'the tar archive, or - for standard input')
    .argument('[reference]', 'REPOSITORY[:TAG] to name the image')
    .option('-c, --change <instruction>', 'a Dockerfile instruction for the config: CMD, ENV, … (repeatable)', collect, [])
    .option('-m, --message <text>', 'the history entry’s comment')
    .action(
      action(async (file: string, reference: string | undefined, opts: { change: string[]; message?: string }, cmd: Command) => {
        const engine = engineFor(cmd);
        const id = await storeLayerImage(engine.store, {
          tar: file === '-' ? process.stdin : createReadStream(file),
          tags: reference ? [reference] : [],
          changes: opts.change,
          createdBy: `stevedore import ${file}`,
          comment: opts.message ?? 'Imported from -',
        });
        recordEvent(engine.store.root, {
          Type: 'image',
          Action: 'import',
          id,
          ...(reference ? { attributes: { name: reference } } : {}),
        });
        print(id);
      }),
    );
}
