import type { Command } from 'commander';
import { StevedoreError } from '../../errors.js';
import { action, engineFor } from '../context.js';

const sizeUnits: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** `500m`, `2g`, `1048576`: sizes as people type them. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = sizeUnits[(m?.[2] ?? 'x').toLowerCase()];
  if (!m || unit === undefined)
    throw new StevedoreError('INVALID_ARGUMENT', `invalid size "${text}": expected a number with an optional k, m or g`);
  return Math.floor(Number(m[1]) * unit);
}

export function registerLayerCommands(program: Command): void {
  program
    .command('unpack')
    .description("Write an image's root filesystem into DIR (its layers applied in order)")
    .argument('<ref>', 'image name or ID')
    .argument('<dir>', 'a new or empty directory')
    .option('--max-size <size>', 'stop if the layers expand past this size (e.g. 10g)', '64g')
    .action(
      action(async (ref: string, dir: string, opts: { maxSize: string }, cmd: Command) => {
        const notes = await engineFor(cmd).unpackImage(ref, dir, { maxBytes: parseSize(opts.maxSize) });
        for (const note of notes) process.stderr.write(`note: ${note}\n`);
      }),
    );
}
