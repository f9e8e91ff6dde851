import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChangeSet } from '../../layers/createLayer.js';

/** overlayfs marks a deleted lower path in the upper directory with a 0/0 character device. */
function isWhiteout(path: string): boolean {
  const info = lstatSync(path);
  return info.isCharacterDevice() && info.rdev === 0;
}

function children(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * What a step changed, read off an overlayfs mount: every path in the upper directory (but the
 * kernel's whiteout devices) was added or modified; a path of the lower tree that the merged view
 * no longer shows was deleted, whether by a whiteout or by an opaque directory. Reading the
 * merged view instead of the `trusted.overlay.opaque` attribute needs no xattr support here.
 */
export function upperChanges(upper: string, lower: string | undefined, merged: string): ChangeSet {
  const changed: string[] = [];
  const deleted: string[] = [];
  const visit = (rel: string) => {
    const dir = join(upper, rel);
    for (const name of children(dir).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (isWhiteout(join(upper, path))) continue;
      changed.push(path);
      if (lstatSync(join(upper, path)).isDirectory()) visit(path);
    }
    if (!lower) return;
    for (const name of children(join(lower, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (!lstatSafe(join(merged, path))) deleted.push(path);
    }
  };
  visit('');
  return { changed, deleted: deleted.sort() };
}

function lstatSafe(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}
