import { StevedoreError } from '../errors.js';

/**
 * docker's `--format` over one nested object (`inspect -f`, `events --format`): `{{.A.B}}` walks
 * fields, `{{json .}}` and `{{json .A}}` print JSON, `\t` and `\n` as typed in a shell. A value
 * prints as Go's template does for strings, numbers and booleans; an object or a list prints as
 * JSON (Go would print `map[…]`, which no script parses). Anything else is refused in one line.
 * The flat-row subset of `ps` and `images` is formatTemplate.ts.
 */
export function formatObject(format: string, value: unknown): string {
  const template = format.replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  let out = '';
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open === -1) {
      out += rest;
      break;
    }
    out += rest.slice(0, open);
    const close = rest.indexOf('}}', open);
    if (close === -1) throw new StevedoreError('INVALID_ARGUMENT', 'invalid --format: "{{" without its "}}"');
    out += evaluate(rest.slice(open + 2, close).trim(), value);
    rest = rest.slice(close + 2);
  }
  return out;
}

function evaluate(text: string, root: unknown): string {
  const json = /^json\s+/.test(text);
  const path = json ? text.replace(/^json\s+/, '') : text;
  if (path !== '.' && !/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `invalid --format: "{{${text}}}" is not supported; use {{.Field}}, {{.Field.Sub}}, {{json .}} or {{json .Field}}`,
    );
  }
  let value: unknown = root;
  for (const name of path === '.' ? [] : path.slice(1).split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new StevedoreError('INVALID_ARGUMENT', `invalid --format: "${path}": there is no field ${name} here`);
    }
    const record = value as Record<string, unknown>;
    // Go's templates read a map's missing key as nothing, and a struct's missing field as an error.
    value = record[name];
  }
  if (json) return JSON.stringify(value ?? null);
  if (value === undefined || value === null) return '<no value>';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
