import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { relative } from 'node:path';
import { StevedoreError } from '../errors.js';
import { resolveInRoot } from '../layers/confinedPath.js';

/** More than any real /etc/passwd or /etc/group; a bigger one is an image trying something. */
export const ROOTFS_FILE_LIMIT = 1024 * 1024;

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a directory';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Reads a file of an image's root filesystem on the host, as the image's own data and nothing
 * else: `path` is resolved inside `rootfs` (a link is followed but re-rooted, so it cannot name
 * a host file); only a regular file is opened (checked with lstat before the open, since opening
 * a device can have effects of its own, and with fstat after it); the open does not follow a
 * link nor block (a FIFO with no writer would hang the engine); at most `limit` bytes are read.
 * Returns undefined when the file does not exist.
 */
export function readRootfsFile(rootfs: string, path: string, limit = ROOTFS_FILE_LIMIT): string | undefined {
  const host = resolveInRoot(rootfs, path, true);
  const inside = `/${relative(rootfs, host)}`;
  const refuse = (why: string) =>
    new StevedoreError('INVALID_ARGUMENT', `the image's ${path}${inside === path ? '' : ` (${inside})`} ${why}`);
  let info: Stats | undefined;
  try {
    info = lstatSync(host, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
  if (!info) return undefined;
  if (!info.isFile()) throw refuse(`is ${kindOf(info)}, not a regular file`);
  const fd = openSync(host, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const opened = fstatSync(fd);
    // Replaced between the lstat and the open: refused all the same.
    if (!opened.isFile()) throw refuse(`is ${kindOf(opened)}, not a regular file`);
    if (opened.size > limit) throw refuse(`is larger than ${limit / 1024} KiB`);
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      // Grown since the fstat: the cap still holds.
      if (length > limit) throw refuse(`is larger than ${limit / 1024} KiB`);
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
