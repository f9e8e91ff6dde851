import { posix } from 'node:path';
import { StevedoreError } from '../errors.js';

/**
 * A layer entry's path relative to the root filesystem. Leading `/` and `./` are dropped, as every
 * unpacker does (the root is the layer's `/`); a `..` that would climb above the root is refused
 * with the entry named.
 */
export function layerEntryPath(name: string): string {
  if (name.includes('\0')) throw new StevedoreError('UNSAFE_PATH', `refusing layer entry "${name}": it contains a NUL byte`);
  const stripped = name.replace(/^\/+/, '');
  const normal = posix.normalize(stripped === '' ? '.' : stripped).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) {
    throw new StevedoreError('UNSAFE_PATH', `refusing layer entry "${name}": it climbs out of the root filesystem`);
  }
  return normal === '.' ? '' : normal;
}
