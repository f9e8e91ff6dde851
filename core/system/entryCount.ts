import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether the tree at `dir` holds fewer than `limit` entries (files, directories, links; a link is
 * not followed), counted only as far as `limit`: a large tree costs no more than a small one to
 * judge. A directory that cannot be read counts as too many.
 */
export function hasFewerEntries(dir: string, limit: number): boolean {
  let seen = 0;
  const pending = [dir];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = readdirSync(next, { withFileTypes: true });
    } catch {
      return false;
    }
    seen += entries.length;
    if (seen >= limit) return false;
    for (const entry of entries) if (entry.isDirectory()) pending.push(join(next, entry.name));
  }
  return true;
}
