import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FsckReport } from '../api/store.schema.js';
import type { Digest } from '../digest/digest.js';
import { DigestingStream } from '../digest/hashing.js';
import { checkBuildCache, type LayerStack } from './buildCacheCheck.js';
import { listBlobs } from './gc.js';
import type { Store } from './store.js';
import { walkDag } from './walk.js';

async function rehash(store: Store, digest: Digest): Promise<void> {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  await pipeline(store.blobStream(digest), new DigestingStream({ digest, what: `blob ${digest}` }), sink);
}

/** What the store-level check found, and what the snapshot check builds on. */
export interface StoreCheck {
  checked: number;
  problems: FsckReport['problems'];
  /** Blobs whose bytes do not match their digest: snapshots standing on them cannot be judged. */
  corruptBlobs: Set<string>;
  /** The layer stacks the build cache's entries stand on (their snapshots are checked too). */
  cacheStacks: LayerStack[];
}

/**
 * Re-hashes every blob and walks every image: a blob whose bytes no longer match its name is
 * corrupt; a blob an image needs that is not there is missing. Then the build cache's entries:
 * each layer they name must be stored. (Snapshots are checked a layer up, in
 * core/snapshots/snapshotCheck.ts: they need the layer reader.)
 */
export async function checkStore(store: Store): Promise<StoreCheck> {
  const problems: FsckReport['problems'] = [];
  const users = new Map<string, Set<string>>();
  const needed = new Set<string>();
  for (const { descriptor, refName } of store.entries()) {
    const name = refName ?? descriptor.digest;
    try {
      for (const node of walkDag(store, descriptor)) {
        const set = users.get(node.descriptor.digest) ?? new Set();
        set.add(name);
        users.set(node.descriptor.digest, set);
        if (!node.present && !(node.kind === 'manifest' && node.parent !== undefined)) needed.add(node.descriptor.digest);
      }
    } catch (err) {
      problems.push({ digest: descriptor.digest, kind: 'unreadable', detail: (err as Error).message, images: [name] });
    }
  }
  for (const digest of needed) {
    problems.push({ digest, kind: 'missing', detail: 'referenced but not in the store', images: [...(users.get(digest) ?? [])] });
  }
  const blobs = listBlobs(store);
  const corruptBlobs = new Set<string>();
  for (const digest of blobs) {
    try {
      await rehash(store, digest);
    } catch (err) {
      corruptBlobs.add(digest);
      problems.push({ digest, kind: 'corrupt', detail: (err as Error).message, images: [...(users.get(digest) ?? [])] });
    }
  }
  const cache = checkBuildCache(store);
  problems.push(...cache.problems);
  return { checked: blobs.length, problems, corruptBlobs, cacheStacks: cache.stacks };
}
