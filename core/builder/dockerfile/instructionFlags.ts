/**
 * The `--name[=value]` flags an instruction accepts, read as Docker's builder does: a bool
 * flag may be bare or `=true`/`=false`, a string flag needs `=value`, only list flags (RUN
 * `--mount`) may repeat, and a flag the instruction does not know is an error.
 */

export type FlagKind = 'bool' | 'string' | 'list';

export type FlagSpec = Readonly<Record<string, FlagKind>>;

export interface ParsedFlags {
  bool(name: string): boolean;
  string(name: string): string | undefined;
  list(name: string): string[];
}

/** A flag mistake; the caller names the line and the instruction. */
export class FlagError extends Error {
  override name = 'FlagError';
}

export function parseFlags(raw: readonly string[], spec: FlagSpec): ParsedFlags {
  const bools = new Map<string, boolean>();
  const strings = new Map<string, string>();
  const lists = new Map<string, string[]>();
  for (const word of raw) {
    if (word === '--') break;
    const body = word.slice(2);
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const value = eq >= 0 ? body.slice(eq + 1) : undefined;
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (kind === undefined) {
      const known = Object.keys(spec).map((k) => `--${k}`);
      throw new FlagError(
        `unknown flag --${name}${known.length > 0 ? ` (it takes ${known.join(', ')})` : ' (it takes no flags)'}`,
      );
    }
    if (kind !== 'list' && (bools.has(name) || strings.has(name))) throw new FlagError(`duplicate flag specified: --${name}`);
    if (kind === 'bool') {
      if (value === '') throw new FlagError(`missing a value on flag: --${name}`);
      const lower = value?.toLowerCase() ?? 'true';
      if (lower !== 'true' && lower !== 'false') throw new FlagError(`expecting boolean value for flag --${name}, not: ${value}`);
      bools.set(name, lower === 'true');
    } else {
      if (value === undefined) throw new FlagError(`missing a value on flag: --${name}`);
      if (kind === 'string') strings.set(name, value);
      else lists.set(name, [...(lists.get(name) ?? []), value]);
    }
  }
  return {
    bool: (name) => bools.get(name) ?? false,
    string: (name) => strings.get(name),
    list: (name) => lists.get(name) ?? [],
  };
}
