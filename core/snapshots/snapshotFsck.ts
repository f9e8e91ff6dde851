import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FsckReport } from '../api/store.schema.js';
import { type Digest, digestHex } from '../digest/digest.js';
import { displayName } from '../images/imageName.js';
import type { ImageRecord } from '../images/imageRecords.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { LayerStack } from '../store/buildCacheCheck.js';
import { leasedDigests } from '../store/lease.js';
import { withStoreLock } from '../store/lock.js';
import type { Store } from '../store/store.js';
import { chainIds } from './chainId.js';
import { checkSnapshots } from './snapshotCheck.js';

export interface SnapshotFsckOptions {
  /** Where snapshots live. */
  dir: string;
  /** The store's images: the snapshots they stand on are checked. */
  images: ImageRecord[];
  /** Image IDs containers use: their snapshots are not removed. */
  inUse?: Map<string, unknown>;
  /** The build cache's layer stacks (from the store-level check): their snapshots are checked too. */
  cacheStacks: LayerStack[];
  /** Blobs found corrupt: a stack with one of them cannot be judged (it is reported already). */
  corruptBlobs: Set<string>;
  /** Remove the snapshots found corrupt (they are made again from the layers when next needed). */
  repair: boolean;
}

/**
 * fsck's snapshot part: every snapshot an image or a build cache entry stands on must be exactly
 * what its layers make; with `repair`, a corrupt one goes unless a container's image stands on it
 * or a running build or unpack holds it.
 */
export async function fsckSnapshots(
  store: Store,
  options: SnapshotFsckOptions,
): Promise<{ problems: FsckReport['problems']; repaired: string[] }> {
  const { dir, images, inUse, corruptBlobs } = options;
  const stacks: LayerStack[] = images.map((i) => ({
    name: displayName(i),
    layers: i.manifest.layers as Descriptor[],
    diffIds: i.config.rootfs.diff_ids as Digest[],
  }));
  const whole = (s: LayerStack) => s.layers.every((l) => store.hasBlob(l.digest as Digest) && !corruptBlobs.has(l.digest));
  const checked = await checkSnapshots(store, dir, [...stacks, ...options.cacheStacks].filter(whole));
  if (!options.repair) return { problems: checked.problems, repaired: [] };
  const usedChains = new Set(
    images.filter((i) => inUse?.has(i.configDigest)).flatMap((i) => chainIds(i.config.rootfs.diff_ids as Digest[])),
  );
  const problems: FsckReport['problems'] = [];
  const repaired: string[] = [];
  // Removal under the store lock, as gc sweeps: a build or unpack leases a snapshot under it too.
  await withStoreLock(store.layout, async () => {
    const leased = leasedDigests(store.layout);
    for (const problem of checked.problems) {
      if (problem.kind !== 'corrupt') problems.push(problem);
      else if (usedChains.has(problem.digest as Digest)) {
        problems.push({
          ...problem,
          detail: `${problem.detail} (not removed: a container stands on it; remove the container first)`,
        });
      } else if (leased.has(problem.digest)) {
        problems.push({
          ...problem,
          detail: `${problem.detail} (not removed: a running build or unpack is using it; run fsck again when it is done)`,
        });
      } else {
        rmSync(join(dir, digestHex(problem.digest as Digest)), { recursive: true, force: true });
        repaired.push(problem.digest);
      }
    }
  });
  return { problems, repaired };
}
