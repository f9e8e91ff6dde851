import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import { run, type SnapshotStore } from './snapshotStore.js';

/**
 * `stevedore unpack`: the image's root filesystem, copied out of its top snapshot (a real copy,
 * so that changing DIR never changes the snapshots).
 */
export async function unpackToDirectory(
  snapshots: SnapshotStore,
  image: ImageRecord,
  dir: string,
  options: { maxBytes?: number } = {},
): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new StevedoreError('CONFLICT', `${dir} is not empty; unpack into a new or empty directory`);
  }
  const top = await snapshots.prepare(image, options);
  mkdirSync(dir, { recursive: true });
  run('cp', ['-a', `${top}/.`, dir], 'copying the root filesystem');
}
