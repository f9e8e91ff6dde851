import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FsckReport } from '../api/store.schema.js';
import { type Digest, digestHex } from '../digest/digest.js';
import { DigestingStream } from '../digest/hashing.js';
import { displayName } from '../images/imageName.js';
import type { ImageRecord } from '../images/imageRecords.js';
import type { Descriptor } from '../oci/descriptor.js';
import { chainIds } from '../snapshots/chainId.js';
import { checkBuildCache, type LayerStack } from './buildCacheCheck.js';
import { listBlobs } from './gc.js';
import { leasedDigests } from './lease.js';
import { withStoreLock } from './lock.js';
import { checkSnapshots } from './snapshotCheck.js';
import type { Store } from './store.js';
import { walkDag } from './walk.js';

async function rehash(store: Store, digest: Digest): Promise<void> {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  await pipeline(store.blobStream(digest), new DigestingStream({ digest, what: `blob ${digest}` }), sink);
}

export interface FsckOptions {
  /**
   * Where snapshots live, and the store's images: the snapshots they (and the build cache) stand
   * on are checked. `inUse`: image IDs containers use (their snapshots are not removed).
   */
  snapshots?: { dir: string; images: ImageRecord[]; inUse?: Map<string, unknown> };
  /** Remove the snapshots found corrupt (they are made again from the layers when next needed). */
  repair?: boolean;
}

/**
 * Re-hashes every blob and walks every image: a blob whose bytes no longer match its name is
 * corrupt; a blob an image needs that is not there is missing. Then the build cache's entries
 * (each layer they name must be stored) and the snapshots (each must be exactly what its layers
 * make). With `repair`, corrupt snapshots no container stands on are removed.
 */
export async function checkStore(store: Store, options: FsckOptions = {}): Promise<FsckReport> {
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
  const repaired: string[] = [];
  if (options.snapshots) {
    const { dir, images, inUse } = options.snapshots;
    const stacks: LayerStack[] = images.map((i) => ({
      name: displayName(i),
      layers: i.manifest.layers as Descriptor[],
      diffIds: i.config.rootfs.diff_ids as Digest[],
    }));
    const usedChains = new Set(
      images.filter((i) => inUse?.has(i.configDigest)).flatMap((i) => chainIds(i.config.rootfs.diff_ids as Digest[])),
    );
    // A stack with a corrupt or missing layer is reported above; its snapshots cannot be judged.
    const whole = (s: LayerStack) => s.layers.every((l) => store.hasBlob(l.digest as Digest) && !corruptBlobs.has(l.digest));
    const checked = await checkSnapshots(store, dir, [...stacks, ...cache.stacks].filter(whole));
    if (!options.repair) problems.push(...checked.problems);
    else {
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
    }
  }
  return { checked: blobs.length, problems, ...(options.repair ? { repaired } : {}) };
}
