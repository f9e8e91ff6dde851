import { resolve } from 'node:path';
import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import type { FileChange, ImageDiff } from '../../api/layers.schema.js';
import { StevedoreError } from '../../errors.js';
import { formatBytes } from '../../text/humanize.js';
import { action, print, printJson } from '../context.js';
import { withClient } from '../withClient.js';
import { printContainerDiff } from './containerDiff.js';

/** The sentence of core/layers/decompress.ts' UnpackLimitError. */
const UNPACK_LIMIT = /expands past the unpack limit of \d+ bytes/;

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
        const maxBytes = parseSize(opts.maxSize);
        // Absolute before it crosses: an engine serving the store has a directory of its own.
        const { notes } = await withClient(cmd, (client) =>
          call(client, 'images.unpack', { ref, dir: resolve(dir), maxBytes }),
        ).catch((err: unknown) => {
          // The engine's UnpackLimitError, as it crossed (code and sentence): the flag that raises it is ours to name.
          const overLimit = err instanceof StevedoreError && err.code === 'INVALID_ARCHIVE' && UNPACK_LIMIT.test(err.message);
          throw overLimit ? new StevedoreError(err.code, `${err.message}; raise it with --max-size`) : err;
        });
        for (const note of notes) process.stderr.write(`note: ${note}\n`);
      }),
    );
}

const marks: Record<FileChange['change'], string> = { added: '+', modified: '~', removed: '-', unmodified: ' ' };

function changeLines(changes: FileChange[]): string[] {
  return changes.map(
    (c) =>
      `  ${marks[c.change]} ${c.path}${c.type === 'dir' ? '/' : ''}${c.type === 'symlink' ? ` -> ${c.linkname}` : ''}  ${formatBytes(c.size)}`,
  );
}

function printDiff(d: ImageDiff, only: number | undefined): void {
  const lines: string[] = [];
  for (const layer of d.layers) {
    if (only !== undefined && layer.index !== only) continue;
    lines.push(`Layer ${layer.index}  ${layer.digest}  ${formatBytes(layer.size)}  ${layer.createdBy}`);
    lines.push(...changeLines(layer.changes));
    lines.push(
      `  ${layer.added} added (${formatBytes(layer.addedBytes)}), ${layer.modified} modified (${formatBytes(layer.modifiedBytes)}), ${layer.removed} removed (${formatBytes(layer.removedBytes)})`,
      '',
    );
  }
  const e = d.efficiency;
  lines.push(`Image efficiency score: ${(e.score * 100).toFixed(1)} %`);
  lines.push(`Potential wasted space: ${formatBytes(e.wastedBytes)}`);
  if (e.wasted.length > 0) {
    lines.push(
      'Paths that waste it:',
      ...e.wasted
        .slice(0, 20)
        .map((w) => `  ${String(w.count).padStart(3)}×  ${formatBytes(w.totalSize).padStart(8)}  ${w.path}`),
    );
  }
  print(lines.join('\n'));
}

export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description('Show what each layer of an image changes and how much space it wastes; or compare two images')
    .argument('<ref>', 'image name or ID')
    .argument('[other]', 'a second image to compare with')
    .option('--layer <n>', 'only this layer (0 is the base)')
    .option('--json', 'print JSON')
    .action(
      action(async (ref: string, other: string | undefined, opts: { layer?: string; json?: boolean }, cmd: Command) => {
        return withClient(cmd, async (client) => {
          // docker's `diff CONTAINER` when a container has that name; the image diff otherwise.
          if (!other && opts.layer === undefined && (await printContainerDiff(client, ref, opts.json === true))) return;
          if (other) {
            const c = await call(client, 'images.compare', { left: ref, right: other });
            if (opts.json) return printJson(c);
            return print(
              [
                `Shared layers: ${c.sharedLayers.length}`,
                ...c.sharedLayers.map((l) => `  = ${l}`),
                `Only in ${c.left}: ${c.leftOnlyLayers.length}`,
                ...c.leftOnlyLayers.map((l) => `  < ${l}`),
                `Only in ${c.right}: ${c.rightOnlyLayers.length}`,
                ...c.rightOnlyLayers.map((l) => `  > ${l}`),
                `Files from ${c.left} to ${c.right}:`,
                ...changeLines(c.changes),
              ].join('\n'),
            );
          }
          const only = opts.layer === undefined ? undefined : Number(opts.layer);
          const d = await call(client, 'images.diff', { ref });
          if (only !== undefined && (!Number.isInteger(only) || only < 0 || only >= d.layers.length)) {
            throw new StevedoreError(
              'INVALID_ARGUMENT',
              `invalid --layer ${opts.layer}: the image has layers 0 to ${d.layers.length - 1}`,
            );
          }
          if (opts.json) return printJson(only === undefined ? d : { ...d, layers: d.layers.filter((l) => l.index === only) });
          printDiff(d, only);
        });
      }),
    );
}
