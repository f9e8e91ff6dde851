import { StevedoreError } from '../errors.js';

/** `--filter key=value`, repeatable: values by key. Keys a command does not know are refused, as docker does. */
export function parseFilters(flags: string[], known: string[]): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new StevedoreError('INVALID_ARGUMENT', `bad format of filter "${flag}": expected name=value`);
    const key = flag.slice(0, eq).toLowerCase();
    if (!known.includes(key)) {
      throw new StevedoreError('INVALID_ARGUMENT', `invalid filter "${key}": the filters here are ${known.join(', ')}`);
    }
    filters.set(key, [...(filters.get(key) ?? []), flag.slice(eq + 1)]);
  }
  return filters;
}

/**
 * docker's rule: values of one key are alternatives (any may match), different keys must all
 * match. `test` says whether the item passes one value of a key.
 */
export function passesFilters<T>(
  item: T,
  filters: Map<string, string[]>,
  test: (item: T, key: string, value: string) => boolean,
): boolean {
  for (const [key, values] of filters) if (!values.some((v) => test(item, key, v))) return false;
  return true;
}
