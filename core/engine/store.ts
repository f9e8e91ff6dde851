import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DiskUsage, FsckReport, GcReport } from '../api/store.schema.js';
import { containerIds, containerPaths } from '../runtime/containerRecord.js';
import { fsckSnapshots } from '../snapshots/snapshotFsck.js';
import { liveChainIds } from '../snapshots/snapshotStore.js';
import { directoryBytes } from '../store/diskUsage.js';
import { checkStore } from '../store/fsck.js';
import { collectGarbage, listBlobs, markReachable } from '../store/gc.js';
import type { HandlersOf, MethodsOf } from './handlerSlice.js';
import type { Services } from './services.js';

/** The whole store's upkeep: garbage collection, the consistency check and what takes the disk. */
export class StoreService {
  constructor(private readonly s: Services) {}

  /** Blobs no image reaches, and snapshots no image stands on. */
  async gc(dryRun = false): Promise<GcReport> {
    const { core } = this.s;
    // What the build cache names stays: the next build's CACHED steps need those layers.
    // Snapshots are swept under gc's lock with its leases: a running build's, unpack's or
    // container start's stay.
    return collectGarbage(core.store, {
      dryRun,
      extraRoots: this.s.builds.cache.referencedBlobs(),
      snapshots: (leased) => core.snapshots.prune(liveChainIds(core.records.all().images), leased, dryRun),
    });
  }

  /** Blobs, images, the build cache and the snapshots; `repair` removes corrupt snapshots no container uses. */
  async fsck(repair = false): Promise<FsckReport> {
    const { core } = this.s;
    const store = await checkStore(core.store);
    const snapshots = await fsckSnapshots(core.store, {
      dir: core.snapshots.dir,
      images: core.records.all().images,
      inUse: await this.s.containers.native.imagesInUse(),
      cacheStacks: store.cacheStacks,
      corruptBlobs: store.corruptBlobs,
      repair,
    });
    const problems = [...store.problems, ...snapshots.problems];
    return { checked: store.checked, problems, ...(repair ? { repaired: snapshots.repaired } : {}) };
  }

  /** `system df`: blobs, unpacked snapshots, what containers wrote, and what only the build cache keeps. */
  diskUsage(): DiskUsage {
    const { store, snapshots } = this.s.core;
    const cache = this.s.builds.cache;
    const blobs = listBlobs(store);
    const blobBytes = blobs.reduce((sum, digest) => sum + (store.blobSize(digest) ?? 0), 0);
    const snapshotNames = listDir(snapshots.dir).filter((name) => !name.startsWith('.'));
    const snapshotBytes = snapshotNames.reduce((sum, name) => sum + directoryBytes(join(snapshots.dir, name)), 0);
    const ids = containerIds(store.root);
    const containerBytes = ids.reduce((sum, id) => sum + directoryBytes(containerPaths(store.root, id).dir), 0);
    const byImages = markReachable(store);
    const cacheOnly = new Set(cache.referencedBlobs().filter((digest) => !byImages.has(digest)));
    const cacheBytes = [...cacheOnly].reduce((sum, digest) => sum + (store.blobSize(digest) ?? 0), 0);
    return {
      blobs: { count: blobs.length, bytes: blobBytes },
      snapshots: { count: snapshotNames.length, bytes: snapshotBytes },
      containers: { count: ids.length, bytes: containerBytes },
      buildCache: { count: cache.count(), bytes: cacheBytes },
      // The build cache's bytes are blobs, counted there already.
      totalBytes: blobBytes + snapshotBytes + containerBytes,
    };
  }
}

export function storeHandlers(s: Services): HandlersOf<MethodsOf<'store'>> {
  return {
    'store.gc': async ({ dryRun }) => s.store.gc(dryRun),
    'store.fsck': async ({ repair }) => s.store.fsck(repair),
    'store.df': async () => s.store.diskUsage(),
  };
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
