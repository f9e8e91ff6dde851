import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Digest, digestHex } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import { applyStoredLayer, DEFAULT_MAX_UNPACK_BYTES } from '../layers/unpack.js';
import type { Descriptor } from '../oci/descriptor.js';
import { holdUnderLock, type Lease } from '../store/lease.js';
import { isProcessAlive, ownerPid } from '../store/processLiveness.js';
import type { Store } from '../store/store.js';
import { runTool } from '../system/runTool.js';
import { chainIds } from './chainId.js';

/**
 * Unpacked layers, kept under `<root>/snapshots/<chain ID>/`: each one the whole root filesystem
 * up to its layer. A child starts as a hard-link farm of its parent (`cp -al`: no data copied) and
 * has its layer applied on top; that is safe because the applier never writes into an existing
 * file, it replaces it. Images that share base layers share those snapshots.
 */
export class SnapshotStore {
  readonly dir: string;
  private readonly temp: string;

  constructor(private readonly store: Store) {
    this.dir = join(store.root, 'snapshots');
    this.temp = join(this.dir, '.tmp');
    mkdirSync(this.temp, { recursive: true });
    for (const name of readdirSync(this.temp)) {
      if (!isProcessAlive(ownerPid(name))) rmSync(join(this.temp, name), { recursive: true, force: true });
    }
  }

  pathOf(chainId: Digest): string {
    return join(this.dir, digestHex(chainId));
  }

  has(chainId: Digest): boolean {
    return existsSync(this.pathOf(chainId));
  }

  list(): string[] {
    return readdirSync(this.dir).filter((n) => !n.startsWith('.'));
  }

  /**
   * Makes sure every layer of the image is unpacked; returns the top snapshot (the image's root
   * filesystem). With `alsoInto`, that directory receives the same root filesystem: copied from
   * the deepest snapshot that already existed, then every layer above it is applied to the new
   * snapshot and to the directory in the same pass (applying is cheaper than copying again).
   */
  async prepare(
    image: ImageRecord,
    options: {
      maxBytes?: number;
      onLayer?: (i: number, reused: boolean) => void;
      alsoInto?: string;
      /** With `alsoInto`: keep snapshots of only the first N layers (those other images share). */
      keepLayers?: number;
      /** Told what the applier had to skip (devices as non-root, extended attributes). */
      onNote?: (note: string) => void;
      /**
       * Holds the layers and snapshots for as long as this lease lives (a build's, to the end of
       * the build); without one they are held only while they are being prepared.
       */
      lease?: Lease;
    } = {},
  ): Promise<string | undefined> {
    return this.prepareLayers(image.manifest.layers as Descriptor[], image.config.rootfs.diff_ids as Digest[], options);
  }

  /** `prepare` for a list of layers that is not (yet) an image: a build's steps so far. */
  async prepareLayers(
    layers: Descriptor[],
    diffIds: Digest[],
    options: Parameters<SnapshotStore['prepare']>[1] = {},
  ): Promise<string | undefined> {
    const chain = chainIds(diffIds);
    // Leased before anything is read: a gc (an rmi's too) meanwhile keeps these layers' blobs and
    // snapshots, instead of removing a snapshot being copied or mounted.
    const lease = options.lease ?? this.store.newLease();
    try {
      await holdUnderLock(this.store.layout, lease, [...layers.map((l) => l.digest as Digest), ...chain]);
      return await this.prepareHeld(layers, diffIds, chain, options);
    } finally {
      if (!options.lease) lease.release();
    }
  }

  private async prepareHeld(
    layers: Descriptor[],
    diffIds: Digest[],
    chain: Digest[],
    options: NonNullable<Parameters<SnapshotStore['prepare']>[1]>,
  ): Promise<string | undefined> {
    let budget = options.maxBytes ?? DEFAULT_MAX_UNPACK_BYTES;
    const apply = async (i: number, roots: string[], what: string) => {
      const report = await applyStoredLayer(this.store, layers[i]!, diffIds[i], roots, { maxBytes: budget, what });
      budget -= report.bytes;
      for (const note of report.notes) options.onNote?.(note);
    };
    let made = 0;
    while (made < chain.length && this.has(chain[made]!)) made++;
    const into = options.alsoInto;
    if (into && made > 0) runTool('cp', ['-a', `${this.pathOf(chain[made - 1]!)}/.`, into], 'copying the root filesystem');
    const keep = into ? Math.max(made, options.keepLayers ?? chain.length) : chain.length;
    let parent: string | undefined;
    for (const [i, chainId] of chain.entries()) {
      const target = this.pathOf(chainId);
      const reused = existsSync(target);
      options.onLayer?.(i, reused);
      const what = `layer ${i + 1} (${layers[i]!.digest})`;
      if (into && i >= keep) {
        // No other image stands on this layer: a snapshot of it would only ever be copied.
        await apply(i, [into], what);
        continue;
      }
      if (reused && into && i >= made) {
        await apply(i, [into], what);
      }
      if (!reused) {
        const work = join(this.temp, `${process.pid}-${randomBytes(6).toString('hex')}`);
        try {
          if (parent) runTool('cp', ['-al', parent, work], 'linking the parent snapshot');
          else mkdirSync(work, { mode: 0o755 });
          const roots = into ? [work, into] : [work];
          await apply(i, roots, what);
          try {
            renameSync(work, target);
          } catch (err) {
            // Another process made the same snapshot meanwhile: theirs is as good as ours.
            if (!existsSync(target)) throw err;
            rmSync(work, { recursive: true, force: true });
          }
        } catch (err) {
          rmSync(work, { recursive: true, force: true });
          throw err;
        }
      }
      parent = target;
    }
    if (chain.length === 0) throw new StevedoreError('INVALID_MANIFEST', 'the image has no layers to unpack');
    return parent;
  }

  /**
   * Removes snapshots no image needs and no lease holds; returns their chain IDs (with `dryRun`,
   * those it would remove). Call it under the store lock (collectGarbage does), for leases are
   * taken under it. A snapshot is first renamed out of the way, so that it is never seen half
   * removed (a crash meanwhile leaves it in `.tmp`, which the next start empties).
   */
  prune(live: Set<string>, leased: Set<string> = new Set(), dryRun = false): string[] {
    const removed: string[] = [];
    for (const name of this.list()) {
      const chainId = `sha256:${name}`;
      if (live.has(chainId) || leased.has(chainId)) continue;
      if (!dryRun) {
        const doomed = join(this.temp, `${process.pid}-${randomBytes(6).toString('hex')}`);
        renameSync(join(this.dir, name), doomed);
        rmSync(doomed, { recursive: true, force: true });
      }
      removed.push(chainId);
    }
    return removed;
  }
}

/** How many of an image's first layers other images stand on too (their snapshots pay off). */
export function sharedLayerCount(image: ImageRecord, images: ImageRecord[]): number {
  const uses = new Map<string, number>();
  for (const other of images) {
    for (const c of new Set(chainIds(other.config.rootfs.diff_ids as Digest[]))) uses.set(c, (uses.get(c) ?? 0) + 1);
  }
  const own = chainIds(image.config.rootfs.diff_ids as Digest[]);
  let shared = 0;
  while (shared < own.length && (uses.get(own[shared]!) ?? 0) > 1) shared++;
  return shared;
}

/** The chain IDs every image in the store stands on: what GC keeps. */
export function liveChainIds(images: ImageRecord[]): Set<string> {
  return new Set(images.flatMap((i) => chainIds(i.config.rootfs.diff_ids as Digest[])));
}
