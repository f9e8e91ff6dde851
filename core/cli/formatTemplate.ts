import { StevedoreError } from '../errors.js';
import { formatTable } from './table.js';

/** One row as `--format` sees it: docker's field names, each a string as docker prints it. */
export type FormatRow = Record<string, string>;

type Piece = { text: string } | { field: string; json: boolean } | { whole: true };

/**
 * docker's `--format`: the subset of Go templates people type. `{{.Field}}`, `{{json .}}`,
 * `{{json .Field}}`, `\t` and `\n` as in docker, `json` alone for a JSON object per row, and a leading `table` for aligned columns under a
 * header. Anything else is refused in one line rather than printed wrong. Written here because the
 * npm ports of Go templates are unmaintained and much bigger than this subset.
 */
export function formatRows(format: string, rows: FormatRow[], headers: Record<string, string>): string {
  // docker's `--format json`: each row as one JSON object per line.
  if (format.trim() === 'json') return rows.map((row) => JSON.stringify(sorted(row))).join('\n');
  const fields = Object.keys(headers);
  const table = /^table(\s|$)/.test(format);
  const template = (table ? format.replace(/^table\s*/, '') : format).replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  const pieces = parse(template, fields);
  const render = (row: FormatRow) =>
    pieces
      .map((p) =>
        'text' in p
          ? p.text
          : 'whole' in p
            ? JSON.stringify(sorted(row))
            : p.json
              ? JSON.stringify(row[p.field])
              : (row[p.field] ?? ''),
      )
      .join('');
  if (!table) return rows.map(render).join('\n');
  const header = pieces
    .map((p) => ('text' in p ? p.text : 'whole' in p ? '' : (headers[p.field] ?? p.field.toUpperCase())))
    .join('');
  const split = (line: string) => line.split('\t').map((c) => c.trim());
  return formatTable(
    split(header),
    rows.map((row) => split(render(row))),
  );
}

function parse(template: string, fields: string[]): Piece[] {
  const pieces: Piece[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open === -1) {
      pieces.push({ text: rest });
      break;
    }
    if (open > 0) pieces.push({ text: rest.slice(0, open) });
    const close = rest.indexOf('}}', open);
    if (close === -1) throw new StevedoreError('INVALID_ARGUMENT', 'invalid --format: "{{" without its "}}"');
    pieces.push(action(rest.slice(open + 2, close).trim(), fields));
    rest = rest.slice(close + 2);
  }
  return pieces;
}

function action(text: string, fields: string[]): Piece {
  const json = /^json\s+/.test(text);
  const target = json ? text.replace(/^json\s+/, '') : text;
  if (target === '.') {
    if (json) return { whole: true };
    throw new StevedoreError('INVALID_ARGUMENT', 'invalid --format: "{{.}}" prints nothing useful; use {{json .}}');
  }
  const field = /^\.([A-Za-z]+)$/.exec(target)?.[1];
  if (!field) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `invalid --format: "{{${text}}}" is not supported; use {{.Field}}, {{json .}} or {{json .Field}}`,
    );
  }
  if (!fields.includes(field)) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `invalid --format: no field "${field}" here; the fields are ${fields.join(', ')}`,
    );
  }
  return { field, json };
}

function sorted(row: FormatRow): FormatRow {
  return Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)));
}
