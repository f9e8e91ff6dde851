import { z } from 'zod';

/*
 * Columns: one array per field, instead of one object per record, for answers of thousands of
 * records (a layer's files). zod checks each element of a z.array with calls of its own; in a
 * page whose policy forbids eval (the app's), zod cannot compile its checks and that costs ~2 µs
 * a value: 45 ms for the 24,000 values of a 3,000-file layer. A column is checked in one loop of
 * plain code, as one zod check: the same refusal of a wrong shape, a few milliseconds.
 */

/** An array whose every element passes `is`; `what` names the elements in the error. */
function column<T>(what: string, is: (value: unknown) => value is T) {
  return z.custom<T[]>((value) => Array.isArray(value) && value.every(is), { message: `expected an array of ${what}` });
}

export const stringColumn = column('strings', (v): v is string => typeof v === 'string');
export const numberColumn = column('numbers', (v): v is number => typeof v === 'number');
/** Strings, or null where a record has none. */
export const optionalStringColumn = column('strings or nulls', (v): v is string | null => v === null || typeof v === 'string');

/** An array of the given words only (a z.enum's options). */
export function enumColumn<const T extends string>(words: readonly T[]) {
  const allowed = new Set<unknown>(words);
  return column(words.join(', '), (v): v is T => allowed.has(v));
}

/** The same number of rows in each column: what a table of columns must hold to be read row by row. */
export function sameLength(table: Record<string, unknown[]>): boolean {
  const lengths = new Set(Object.values(table).map((c) => c.length));
  return lengths.size <= 1;
}
