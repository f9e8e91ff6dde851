import { StevedoreError } from '../core/errors.js';

/**
 * A cpio archive in the "newc" format the kernel unpacks as its initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst), written here rather than by
 * `cpio -o` so that the build needs no root for what only root could make on disk (owner 0:0,
 * the /dev/console device node) and gives the same bytes every time: entries sorted by path,
 * inode numbers counted from 1, one fixed mtime.
 */
export type CpioEntry =
  | { path: string; type: 'dir'; mode: number }
  | { path: string; type: 'file'; mode: number; data: Buffer }
  | { path: string; type: 'symlink'; target: string }
  | { path: string; type: 'chardev'; mode: number; major: number; minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

function hex8(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new StevedoreError('INTERNAL', `cpio field out of range: ${n}`);
  return n.toString(16).padStart(8, '0');
}

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function record(ino: number, mode: number, nlink: number, mtime: number, name: string, data: Buffer, rdev = [0, 0]): Buffer[] {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const header = Buffer.from(
    '070701' +
      [ino, mode, 0, 0, nlink, mtime, data.length, 0, 0, rdev[0] ?? 0, rdev[1] ?? 0, nameBytes.length, 0].map(hex8).join(''),
    'ascii',
  );
  return [header, nameBytes, pad4(header.length + nameBytes.length), data, pad4(data.length)];
}

/** The archive's bytes; paths are relative ("init", "lib/modules/x.ko"), parents listed too. */
export function newcArchive(entries: CpioEntry[], mtime: number): Buffer {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts: Buffer[] = [];
  let ino = 0;
  for (const e of sorted) {
    ino += 1;
    switch (e.type) {
      case 'dir':
        parts.push(...record(ino, S_IFDIR | e.mode, 2, mtime, e.path, Buffer.alloc(0)));
        break;
      case 'file':
        parts.push(...record(ino, S_IFREG | e.mode, 1, mtime, e.path, e.data));
        break;
      case 'symlink':
        parts.push(...record(ino, S_IFLNK | 0o777, 1, mtime, e.path, Buffer.from(e.target, 'utf8')));
        break;
      case 'chardev':
        parts.push(...record(ino, S_IFCHR | e.mode, 1, mtime, e.path, Buffer.alloc(0), [e.major, e.minor]));
        break;
    }
  }
  parts.push(...record(0, 0, 1, 0, 'TRAILER!!!', Buffer.alloc(0)));
  return Buffer.concat(parts);
}
