/** What the Logs tab does to text: find a search in a line, and print a log time. */

export interface Segment {
  text: string;
  match: boolean;
}

/** The line cut around every case-insensitive occurrence of `needle`, for <mark>ing them. */
export function highlight(line: string, needle: string): Segment[] {
  if (needle === '') return [{ text: line, match: false }];
  const haystack = line.toLowerCase();
  const wanted = needle.toLowerCase();
  const out: Segment[] = [];
  let from = 0;
  for (let at = haystack.indexOf(wanted); at >= 0; at = haystack.indexOf(wanted, at + wanted.length)) {
    if (at > from) out.push({ text: line.slice(from, at), match: false });
    out.push({ text: line.slice(at, at + wanted.length), match: true });
    from = at + wanted.length;
  }
  if (from < line.length || out.length === 0) out.push({ text: line.slice(from), match: false });
  return out;
}

export function lineMatches(line: string, needle: string): boolean {
  return needle === '' || line.toLowerCase().includes(needle.toLowerCase());
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A log time (RFC 3339, nanoseconds) in local time to the millisecond: `2025-05-01 14:00:00.123`; as given if unreadable. */
export function logTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return (
    `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ` +
    `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}.${pad(t.getMilliseconds(), 3)}`
  );
}
