/**
 * Strings in code-unit order, as Go's sort and `LC_ALL=C ls` list names: for paths, image names
 * and ISO 8601 times. Not a collator: Intl.Collator's first use in a process loads ICU's tables
 * (8–12 ms here), and each of its comparisons costs ten times this one.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
