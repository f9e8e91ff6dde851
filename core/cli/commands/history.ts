import type { Command } from 'commander';
import { call } from '../../api/engineClient.js';
import type { ImageDetail } from '../../api/images.schema.js';
import { formatBytes, relativeTime, shortId } from '../../text/humanize.js';
import { action, print, printLines } from '../context.js';
import { dockerTimestamp } from '../dockerTime.js';
import { formatRows } from '../formatTemplate.js';
import { formatTable } from '../table.js';
import { withClient } from '../withClient.js';

const HISTORY_HEADERS: Record<string, string> = {
  ID: 'IMAGE',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  CreatedBy: 'CREATED BY',
  Size: 'SIZE',
  Comment: 'COMMENT',
};

/**
 * docker's `history` rows, newest first: the top one carries the image's ID, the others
 * `<missing>` (their steps are not images here either), and each step that made a layer its size
 * (the layer as stored, compressed: docker shows it unpacked).
 */
function historyRows(image: ImageDetail, full: boolean): Record<string, string>[] {
  let layer = 0;
  const rows = image.history.map((h) => {
    const size = h.emptyLayer ? 0 : (image.layers[layer++]?.size ?? 0);
    const createdBy = full || h.createdBy.length <= 45 ? h.createdBy : `${h.createdBy.slice(0, 44)}…`;
    return {
      ID: '<missing>',
      CreatedSince: relativeTime(h.created),
      CreatedAt: dockerTimestamp(h.created),
      CreatedBy: createdBy,
      Size: formatBytes(size),
      Comment: h.comment ?? '',
    };
  });
  rows.reverse();
  if (rows[0]) rows[0].ID = full ? image.id : shortId(image.id);
  return rows;
}

export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .description('Show the steps that made an image, newest first')
    .argument('<image>', 'image name or ID')
    .option('--no-trunc', 'print full IDs and steps')
    .option('-q, --quiet', 'print the image ID only')
    .option('--format <template>', 'Go template: {{.ID}}, {{.CreatedBy}}, {{json .}}, table …')
    .action(
      action(async (ref: string, opts: { trunc: boolean; quiet?: boolean; format?: string }, cmd: Command) => {
        const image = await withClient(cmd, (client) => call(client, 'images.inspect', { ref }));
        const rows = historyRows(image, !opts.trunc);
        if (opts.quiet) return printLines(rows.map((r) => r.ID!));
        if (opts.format !== undefined) return print(formatRows(opts.format, rows, HISTORY_HEADERS));
        print(
          formatTable(
            ['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'],
            rows.map((r) => [r.ID!, r.CreatedSince!, r.CreatedBy!, r.Size!, r.Comment!]),
          ),
        );
      }),
    );
}
