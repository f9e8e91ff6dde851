import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, openSync, renameSync, rmSync } from 'node:fs';
import { StevedoreError } from '../errors.js';
import { findProgram } from './qemuBinary.js';

/**
 * The machine's own disk: a sparse raw file formatted ext4 on the host (mke2fs needs no root
 * for a file), so the guest mounts it as it is. Made under a temporary name and renamed, so a
 * half-formatted disk is never taken for the machine's. Returns whether it was made now.
 */
export function ensureDataDisk(path: string, sizeBytes: number): boolean {
  if (existsSync(path)) return false;
  const mkfs = findProgram('mkfs.ext4');
  if (!mkfs)
    throw new StevedoreError(
      'NOT_FOUND',
      'mkfs.ext4 is not installed: the VM needs it for its data disk (apt-get install e2fsprogs).',
    );
  const temp = `${path}.new`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    ftruncateSync(fd, sizeBytes);
  } finally {
    closeSync(fd);
  }
  // root_owner: the guest's root owns the disk, whoever made it on the host.
  const r = spawnSync(mkfs, ['-q', '-F', '-L', 'stevedore-data', '-E', 'root_owner=0:0', temp], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(temp, { force: true });
    throw new StevedoreError('INTERNAL', `Formatting the VM's data disk failed: ${(r.stderr || r.error?.message || '').trim()}`);
  }
  renameSync(temp, path);
  return true;
}
