import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  futimesSync,
  lstatSync,
  openSync,
  utimesSync,
} from 'node:fs';
import { relative } from 'node:path';
import { resolveInRoot } from './confinedPath.js';

/** The directory a layer entry made or met: its metadata waits for the layer's end. */
export interface DeferredDirectory {
  dev: bigint;
  ino: bigint;
  mode: number;
  /** Set only when the owner is to be applied (root, preserving ownership). */
  owner?: { uid: number; gid: number };
  mtime?: Date;
}

/** Records the directory at `path` as it is now, to be recognised (or not) at the layer's end. */
export function recordDirectory(path: string, metadata: Omit<DeferredDirectory, 'dev' | 'ino'>): DeferredDirectory {
  const { dev, ino } = lstatSync(path, { bigint: true });
  return { dev, ino, ...metadata };
}

const OPEN_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
/** What `path` may be by the layer's end when later entries replaced it: then it is left alone. */
const GONE = new Set(['ENOENT', 'ENOTDIR', 'ELOOP']);

/**
 * Applies a directory's deferred mode, owner and times to what `path` is at the layer's end, and
 * only if that is still the directory recorded: a later entry of the layer may have replaced it,
 * or one of its parents, by a symlink (or a hard link to one) naming a host path, and chmod,
 * chown and utimes follow links. So the parents are resolved inside `root` again (they must
 * resolve to the same place), the directory is opened with O_NOFOLLOW|O_DIRECTORY, its
 * device and inode compared with the recorded ones, and the changes made on that descriptor.
 * Returns whether it was applied.
 */
export function applyDirectoryMetadata(root: string, path: string, dir: DeferredDirectory): boolean {
  if (path !== root && resolveInRoot(root, relative(root, path), false) !== path) return false;
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (GONE.has(code)) return false;
    if (code === 'EACCES') return applyByPath(path, dir);
    throw err;
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    if (st.dev !== dir.dev || st.ino !== dir.ino) return false;
    if (dir.owner) fchownSync(fd, dir.owner.uid, dir.owner.gid);
    fchmodSync(fd, dir.mode);
    if (dir.mtime) futimesSync(fd, dir.mtime, dir.mtime);
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * A directory that its owner cannot read (mode 0300, unpacking as non-root) cannot be opened;
 * lstat says it is still the directory recorded, not a link, and nothing else writes to the
 * root while a layer is applied, so changing it by path changes that directory. Never root:
 * root opens any directory, and chown needs root.
 */
function applyByPath(path: string, dir: DeferredDirectory): boolean {
  const st = lstatSync(path, { bigint: true });
  if (!st.isDirectory() || st.dev !== dir.dev || st.ino !== dir.ino) return false;
  chmodSync(path, dir.mode);
  if (dir.mtime) utimesSync(path, dir.mtime, dir.mtime);
  return true;
}
