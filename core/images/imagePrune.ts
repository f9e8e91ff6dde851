import type { Digest } from '../digest/digest.js';
import type { Store } from '../store/store.js';
import { walkDag } from '../store/walk.js';
import type { ImageRecord } from './imageRecords.js';

/**
 * The images `image prune` takes, as docker chooses them: no container stands on any, and without
 * `all` only the dangling ones (no name). An image several entries hold is taken once.
 */
export function pruneCandidates(images: ImageRecord[], inUse: Map<string, string[]>, all: boolean): ImageRecord[] {
  return images.filter((image) => !inUse.has(image.configDigest) && (all || image.refs.length === 0));
}

/**
 * The bytes of the blobs only `dropped` reach: what removing those images and collecting the
 * garbage gives back. Blobs `kept` images or `extraRoots` (the build cache) reach stay; a blob
 * counts once however many dropped images share it.
 */
export function blobsFreedBy(store: Store, kept: ImageRecord[], dropped: ImageRecord[], extraRoots: Digest[]): number {
  const reached = new Set<string>(extraRoots);
  for (const image of kept) for (const node of walkDag(store, image.top)) reached.add(node.descriptor.digest);
  let bytes = 0;
  for (const image of dropped) {
    for (const node of walkDag(store, image.top)) {
      const digest = node.descriptor.digest;
      if (reached.has(digest)) continue;
      reached.add(digest);
      bytes += store.blobSize(digest as Digest) ?? 0;
    }
  }
  return bytes;
}
