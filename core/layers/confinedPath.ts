import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { StevedoreError } from '../errors.js';

const MAX_LINKS = 40;

/**
 * Resolves a path inside `root` as if `root` were `/` (what securejoin and openat2's
 * RESOLVE_IN_ROOT do): symlinks met on the way are followed but re-rooted, absolute ones at
 * `root` and relative ones from where they sit, and `..` never climbs above `root`. Every
 * existing component of the result before the last is a real directory inside `root`; the last
 * is followed only when asked. Missing components are kept as they are, for creation.
 */
export function resolveInRoot(root: string, path: string, followFinal = false): string {
  const pending = path.split('/').filter((c) => c !== '' && c !== '.');
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const component = pending.shift()!;
    if (component === '..') {
      resolved.pop();
      continue;
    }
    const candidate = join(root, ...resolved, component);
    const info = lstatOrUndefined(candidate);
    if (info?.isSymbolicLink() && (pending.length > 0 || followFinal)) {
      if (++links > MAX_LINKS) {
        throw new StevedoreError('UNSAFE_PATH', `too many symbolic links while resolving "${path}"`);
      }
      const target = readlinkSync(candidate);
      if (target.startsWith('/')) resolved.length = 0;
      pending.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
      continue;
    }
    resolved.push(component);
  }
  return join(root, ...resolved);
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (err) {
    // A file where a directory should be: nothing below it exists; creating it will say so.
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}
