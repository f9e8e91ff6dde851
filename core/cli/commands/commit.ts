import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import { action, collect, engineFor, print } from '../context.js';
import { withClient } from '../withClient.js';

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
          const { id } = await withClient(cmd, (client) =>
            call(client, 'containers.commit', {
              id: ref,
              ...(reference ? { reference } : {}),
              changes: opts.change,
              ...(opts.message !== undefined ? { message: opts.message } : {}),
              ...(opts.author !== undefined ? { author: opts.author } : {}),
            }),
          );
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
        const id = await engineFor(cmd).importImage({
          tar: file === '-' ? process.stdin : createReadStream(file),
          source: file,
          reference,
          changes: opts.change,
          message: opts.message,
        });
        print(id);
      }),
    );
}
