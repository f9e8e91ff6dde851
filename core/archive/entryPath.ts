import { posix } from 'node:path';
import { StevedoreError } from '../errors.js';

/**
 * An archive entry's name, made relative and checked: absolute names and any `..` are refused
 * outright rather than cleaned, since no honest image archive has them.
 */
export function safeEntryPath(name: string): string {
  if (name.startsWith('/') || name.split('/').includes('..') || name.includes('\0')) {
    throw new StevedoreError('UNSAFE_PATH', `refusing archive entry "${name}": it points outside the archive`);
  }
  const normal = posix
    .normalize(name)
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  return normal === '.' ? '' : normal;
}

/** A link's target, resolved from the directory of the link and checked the same way. */
export function safeLinkTarget(entry: string, target: string, hard: boolean): string {
  const joined = hard ? target : posix.join(posix.dirname(entry), target);
  const normal = posix.normalize(joined);
  if (target.startsWith('/') || normal === '..' || normal.startsWith('../')) {
    throw new StevedoreError(
      'UNSAFE_PATH',
      `refusing archive entry "${entry}": its link target "${target}" is outside the archive`,
    );
  }
  return safeEntryPath(normal);
}
