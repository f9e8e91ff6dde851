import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { GcReport } from '../api/store.schema.js';
import { type Digest, isDigest } from '../digest/digest.js';
import { leasedDigests } from './lease.js';
import type { Store } from './store.js';
import { walkDag } from './walk.js';

/** Every blob in the store, as digests (files that are not blobs are left alone). */
export function listBlobs(store: Store): Digest[] {
  const out: Digest[] = [];
  for (const algorithm of readdirSync(store.layout.blobs)) {
    let names: string[];
    try {
      names = readdirSync(join(store.layout.blobs, algorithm));
    } catch {
      continue;
    }
    for (const name of names) {
      const digest = `${algorithm}:${name}`;
      if (isDigest(digest)) out.push(digest);
    }
  }
  return out;
}

/** Marks what index.json (and any extra roots, such as containers or build cache) reaches. */
export function markReachable(store: Store, extraRoots: Digest[] = []): Set<string> {
  const marked = new Set<string>(extraRoots);
  for (const { descriptor } of store.entries()) {
    if (marked.has(descriptor.digest)) continue;
    for (const node of walkDag(store, descriptor)) marked.add(node.descriptor.digest);
  }
  return marked;
}

/**
 * Mark and sweep under the store lock. Blobs leased by a running load or pull are kept: they
 * are about to be referenced; so are those a running build, unpack or container start holds.
 * The blob list is read before the leases, so that a blob renamed into place after the listing
 * is not a candidate, and one renamed before it has its lease seen. `snapshots` sweeps the
 * unpacked snapshots under the same lock, with the same leases (chain IDs), and names them.
 */
export async function collectGarbage(
  store: Store,
  options: { dryRun: boolean; extraRoots?: Digest[]; snapshots?: (leased: Set<string>) => string[] },
): Promise<GcReport> {
  return store.updateIndex(() => {
    const marked = markReachable(store, options.extraRoots);
    const candidates = listBlobs(store).filter((d) => !marked.has(d));
    const leased = leasedDigests(store.layout);
    const removed: GcReport['removed'] = [];
    for (const digest of candidates) {
      if (leased.has(digest)) continue;
      const size = statSync(store.blobPath(digest), { throwIfNoEntry: false })?.size ?? 0;
      if (!options.dryRun) store.removeBlob(digest);
      removed.push({ digest, size });
    }
    const snapshots = options.snapshots?.(leased) ?? [];
    return {
      dryRun: options.dryRun,
      snapshots,
      removed,
      reclaimedBytes: removed.reduce((s, r) => s + r.size, 0),
      kept: marked.size,
    };
  });
}
