import type { Command } from 'commander';
import { action, engineFor, print } from '../context.js';

export function registerArchiveCommands(program: Command): void {
  program
    .command('load')
    .description('Load images from an OCI layout directory, an OCI archive or a docker save archive')
    .requiredOption('-i, --input <path>', 'layout directory or archive (tar, tar.gz)')
    .option('--name <repository>', 'repository for bare tags and unnamed images (default localhost/<basename>)')
    .action(
      action(async (opts: { input: string; name?: string }, cmd: Command) => {
        const result = await engineFor(cmd).loadImages(opts.input, opts.name);
        for (const ref of result.references) print(`Loaded image: ${ref}`);
        const named = new Set(result.references.length > 0 ? [] : result.images);
        for (const digest of named) print(`Loaded image ID: ${digest}`);
      }),
    );

  program
    .command('save')
    .description('Save images to one tar that is both an OCI archive and a docker archive')
    .argument('<refs...>', 'image names or IDs')
    .requiredOption('-o, --output <file>', 'archive to write ("-" for standard output)')
    .action(
      action(async (refs: string[], opts: { output: string }, cmd: Command) => {
        if (opts.output === '-' && process.stdout.isTTY) {
          throw new Error('refusing to write an archive to a terminal; use -o FILE or redirect the output');
        }
        await engineFor(cmd).saveImages(refs, opts.output);
      }),
    );
}
