import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import type { SnapshotStore } from './snapshotStore.js';

/**
 * `stevedore unpack`: the image's root filesystem in DIR, a real copy (never links, so that
 * changing DIR never changes a snapshot). Layers other images share are kept as snapshots on
 * the way, or taken from them; the image's own layers go straight into DIR.
 */
export async function unpackToDirectory(
  snapshots: SnapshotStore,
  image: ImageRecord,
  dir: string,
  options: { maxBytes?: number; keepLayers?: number } = {},
): Promise<string[]> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new StevedoreError('CONFLICT', `${dir} is not empty; unpack into a new or empty directory`);
  }
  mkdirSync(dir, { recursive: true });
  const notes = new Set<string>();
  await snapshots.prepare(image, { ...options, alsoInto: dir, onNote: (n) => notes.add(n) });
  return [...notes];
}
