/**
 * The row a key press moves the selection to in a list of `count` rows, or undefined for keys the
 * list does not handle. `page` is how many rows fit in the viewport.
 */
export function nextIndex(key: string, current: number, count: number, page: number): number | undefined {
  if (count === 0) return undefined;
  const last = count - 1;
  switch (key) {
    case 'ArrowDown':
      return current < 0 ? 0 : Math.min(current + 1, last);
    case 'ArrowUp':
      return current < 0 ? last : Math.max(current - 1, 0);
    case 'PageDown':
      return Math.min(Math.max(current, 0) + page, last);
    case 'PageUp':
      return Math.max(current - page, 0);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return undefined;
  }
}
