import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { StevedoreError } from '../../errors.js';
import { action, engineFor } from '../context.js';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('Write a container’s filesystem as a tar archive (to stdout, or -o FILE)')
    .argument('<container>', 'name or ID')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(
      action(async (ref: string, opts: { output?: string }, cmd: Command) => {
        if (opts.output === undefined && process.stdout.isTTY) {
          // docker's words: a tar on a terminal is never what was meant.
          throw new StevedoreError('INVALID_ARGUMENT', 'cowardly refusing to save to a terminal. Use the -o flag or redirect');
        }
        await engineFor(cmd)
          .containerCopy()
          .readArchive(ref, '/', false, async (tar) => {
            if (opts.output !== undefined) await pipeline(tar, createWriteStream(opts.output));
            else await pipeline(tar, process.stdout, { end: false });
          });
      }),
    );
}
