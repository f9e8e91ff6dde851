import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { StevedoreError } from '../../errors.js';
import { action, engineFor, print } from '../context.js';

export function registerArchiveCommands(program: Command): void {
  program
    .command('load')
    .description('Load images from an OCI layout directory, an OCI archive or a docker save archive (standard input by default)')
    .option('-i, --input <path>', 'layout directory or archive (tar, tar.gz); without it, an archive on standard input')
    .option('--name <repository>', 'repository for bare tags and unnamed images (default localhost/<basename>)')
    .option('-q, --quiet', 'print nothing')
    .action(
      action(async (opts: { input?: string; name?: string; quiet?: boolean }, cmd: Command) => {
        const input: { path: string; cleanup?: () => void } = opts.input ? { path: opts.input } : await stdinArchive();
        try {
          const result = await engineFor(cmd)
            .loadImages(input.path, opts.name)
            .catch((err: unknown) => {
              // What went wrong is said of standard input, not of the temporary file it was written to.
              if (input.cleanup && err instanceof StevedoreError && err.message.includes(input.path)) {
                throw new StevedoreError(err.code, err.message.replaceAll(input.path, 'standard input'));
              }
              throw err;
            });
          if (opts.quiet) return;
          for (const ref of result.references) print(`Loaded image: ${ref}`);
          const named = new Set(result.references.length > 0 ? [] : result.images);
          for (const digest of named) print(`Loaded image ID: ${digest}`);
        } finally {
          input.cleanup?.();
        }
      }),
    );

  program
    .command('save')
    .description('Save images to one tar that is both an OCI archive and a docker archive (standard output by default)')
    .argument('<refs...>', 'image names or IDs')
    .option('-o, --output <file>', 'archive to write ("-" or none: standard output, which must not be a terminal)')
    .action(
      action(async (refs: string[], opts: { output?: string }, cmd: Command) => {
        const output = opts.output ?? '-';
        if (output === '-' && process.stdout.isTTY) {
          throw new StevedoreError(
            'INVALID_ARGUMENT',
            'refusing to write an archive to a terminal; use -o FILE or redirect the output',
          );
        }
        await engineFor(cmd).saveImages(refs, output);
      }),
    );
}

/**
 * `load` without -i, as docker: the archive comes on standard input. It is written to a private
 * temporary file first, as the loader reads an archive more than once (index, then blobs).
 */
async function stdinArchive(): Promise<{ path: string; cleanup: () => void }> {
  if (process.stdin.isTTY) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      'requested load from stdin, but stdin is a terminal; use -i FILE or redirect the input',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'stevedore-load-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'archive');
  try {
    await pipeline(process.stdin, createWriteStream(path, { mode: 0o600 }));
    if (statSync(path).size === 0) throw new StevedoreError('INVALID_ARGUMENT', 'requested load from stdin, but stdin is empty');
  } catch (err) {
    cleanup();
    throw err;
  }
  return { path, cleanup };
}
