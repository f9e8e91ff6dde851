import { StevedoreError } from '../errors.js';

/** The whitespace docker trims before a name and refuses inside one (its `whiteSpaces`). */
const BLANKS = ' \t';

/**
 * docker's --env-file format, as docker/cli's parseKeyValueFile reads it, for both the CLI and the
 * engine (the app's Run dialog): a byte order mark opening the file and the whitespace before each
 * line are dropped; blank lines and lines starting with `#` are skipped; `KEY=VALUE` passes the
 * value through untouched (quotes and trailing spaces are the value's, as docker keeps them); a
 * bare `KEY` takes `lookup(KEY)`, the caller's value, and is dropped when that has none. A name
 * with whitespace in it, or none, is refused. `lookup` is the CLI's environment; the engine, which
 * has no caller's environment, passes one that finds nothing.
 */
export function parseEnvFile(text: string, lookup: (name: string) => string | undefined): string[] {
  const entries: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (const [index, raw] of lines.entries()) {
    // Go's bufio.ScanLines drops the \r of a CRLF line end.
    const line = raw.replace(/\r$/, '').trimStart();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (!name) throw bad(index, `no variable name in '${line}'`);
    if ([...BLANKS].some((c) => name.includes(c))) throw bad(index, `variable '${name}' contains whitespace`);
    if (eq >= 0) {
      entries.push(line);
      continue;
    }
    const value = lookup(name);
    if (value !== undefined) entries.push(`${name}=${value}`);
  }
  return entries;
}

function bad(index: number, what: string): StevedoreError {
  return new StevedoreError('INVALID_ARGUMENT', `line ${index + 1}: ${what}`);
}
