import { readFileSync } from 'node:fs';

/** A user's subordinate ids: `count` ids from `start`, as /etc/subuid and /etc/subgid grant them. */
export interface IdRange {
  start: number;
  count: number;
}

/**
 * The first range `/etc/subuid`-style `text` grants the user, named or by number (shadow's
 * newuidmap accepts both): `name:start:count` lines, `#` comments. Null when there is none.
 */
export function subordinateRange(text: string, user: { name: string; id: number }): IdRange | null {
  for (const line of text.split('\n')) {
    const [owner, start, count] = line.trim().split(':');
    if (!owner || owner.startsWith('#') || (owner !== user.name && owner !== String(user.id))) continue;
    const range = { start: Number(start), count: Number(count) };
    if (Number.isSafeInteger(range.start) && range.start > 0 && Number.isSafeInteger(range.count) && range.count > 0)
      return range;
  }
  return null;
}

/** The range in `file` (/etc/subuid or /etc/subgid), or null when the file or the line is missing. */
export function readSubordinateRange(file: string, user: { name: string; id: number }): IdRange | null {
  try {
    return subordinateRange(readFileSync(file, 'utf8'), user);
  } catch {
    return null;
  }
}
