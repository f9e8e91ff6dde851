/**
 * A name cut in its middle to fit: the start as far as it fits, "…", then the end from
 * `keepFrom` (a repository's last part, a tag) whole. Names that share a long registry and path
 * ("127.0.0.1:5612/team/…") then still tell themselves apart. When even the end alone does not
 * fit, it is what is cut, from its start. `fits` says whether a string fits (measured text).
 */
export function middleTruncate(text: string, keepFrom: number, fits: (candidate: string) => boolean): string {
  if (fits(text)) return text;
  const head = text.slice(0, Math.max(0, keepFrom));
  const tail = text.slice(Math.max(0, keepFrom));
  const largest = (max: number, candidate: (n: number) => string): number => {
    // The largest n in [0, max] whose candidate fits (fitting shrinks as n grows), or -1.
    let lo = 0;
    let hi = max;
    if (!fits(candidate(0))) return -1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(candidate(mid))) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const withHead = (n: number) => `${head.slice(0, n)}…${tail}`;
  const n = largest(head.length, withHead);
  if (n > 0) return withHead(n);
  const endOnly = (m: number) => `…${tail.slice(tail.length - m)}`;
  const m = largest(tail.length, endOnly);
  return m > 0 ? endOnly(m) : '…';
}
