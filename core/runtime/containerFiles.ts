import { lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { ContainerDirectory, ContainerFile } from '../api/containerFiles.schema.js';
import { StevedoreError } from '../errors.js';
import { resolveInRoot } from '../layers/confinedPath.js';

/** A directory of more entries than this is listed in part: the app shows them in a tree, lazily. */
const MAX_ENTRIES = 5000;

function typeOf(info: Stats): ContainerFile['type'] {
  return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : info.isSymbolicLink() ? 'symlink' : 'other';
}

/** The path from the container's `/` of `full`, a path inside `rootfs`. */
function inContainer(rootfs: string, full: string): string {
  const rel = relative(rootfs, full);
  return rel === '' ? '/' : `/${rel}`;
}

/**
 * One directory of a container's root filesystem, each entry as lstat sees it (a symlink is
 * itself, not what it names). The directory is found with confinedPath's rule: symlinks on the way
 * are followed as if `rootfs` were `/`, and `..` never climbs out of it.
 */
export function listContainerDirectory(rootfs: string, path: string): ContainerDirectory {
  const dir = resolveInRoot(rootfs, path, true);
  const shown = inContainer(rootfs, dir);
  const info = lstatSync(dir, { throwIfNoEntry: false });
  if (!info) throw new StevedoreError('NOT_FOUND', `no such directory ${shown} in the container`);
  if (!info.isDirectory()) throw new StevedoreError('INVALID_ARGUMENT', `${shown} is not a directory`);
  const names = readdirSync(dir).sort();
  const entries: ContainerFile[] = [];
  for (const name of names.slice(0, MAX_ENTRIES)) {
    const full = join(dir, name);
    const entry = lstatSync(full, { throwIfNoEntry: false });
    if (!entry) continue; // gone while listed: the container is running
    entries.push({
      name,
      path: inContainer(rootfs, full),
      type: typeOf(entry),
      size: entry.size,
      mode: entry.mode & 0o7777,
      mtime: entry.mtime.toISOString(),
      linkTarget: entry.isSymbolicLink() ? readlinkSync(full) : null,
    });
  }
  return { path: shown, entries, truncated: names.length > MAX_ENTRIES };
}

/** The app downloads a file through its API connection, whole: larger ones are for `stevedore cp`. */
export const MAX_DOWNLOAD_BYTES = 32 << 20;

/** A regular file of the container for the app's download (a final symlink followed inside the root). */
export function readContainerFile(rootfs: string, path: string): { name: string; size: number; base64: string } {
  const file = resolveInRoot(rootfs, path, true);
  const shown = inContainer(rootfs, file);
  const info = lstatSync(file, { throwIfNoEntry: false });
  if (!info) throw new StevedoreError('NOT_FOUND', `no such file ${shown} in the container`);
  if (!info.isFile()) throw new StevedoreError('INVALID_ARGUMENT', `${shown} is not a regular file`);
  if (info.size > MAX_DOWNLOAD_BYTES) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `${shown} is ${info.size} bytes, more than the app downloads (${MAX_DOWNLOAD_BYTES}); use stevedore cp`,
    );
  }
  return { name: basename(file), size: info.size, base64: readFileSync(file).toString('base64') };
}
