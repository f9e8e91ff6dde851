import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import pLimit from 'p-limit';
import type { TransferProgress } from '../api/events.schema.js';
import type { LoadResult } from '../api/images.schema.js';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import { stampPulled } from '../images/pullTime.js';
import { readLayer } from '../layers/layerReader.js';
import { DEFAULT_MAX_UNPACK_BYTES } from '../layers/unpack.js';
import { REF_NAME_ANNOTATION } from '../oci/annotations.js';
import type { ImageConfig } from '../oci/config.js';
import type { Descriptor } from '../oci/descriptor.js';
import { checkLayersMatchConfig, parseConfig, parseDocument } from '../oci/document.js';
import { isIndexMediaType, MediaType } from '../oci/mediaTypes.js';
import { DagBounds } from '../store/dagBounds.js';
import { markReachable } from '../store/gc.js';
import { type IngestExpectation, type IngestResult, ingestBytes, ingestStream } from '../store/ingest.js';
import { leasedDigests } from '../store/lease.js';
import { addUntagged, setRefs } from '../store/refs.js';
import type { Store } from '../store/store.js';
import { walkDag } from '../store/walk.js';
import type { BlobKind, BlobSource } from './blobSource.js';
import { ProgressThrottle } from './progressThrottle.js';

export type ProgressSink = (event: TransferProgress) => void;

const LAYER_CONCURRENCY = 4;
const uncompressedLayerTypes = new Set<string>([MediaType.ociLayer, MediaType.dockerLayer]);

export interface ImportedImage {
  descriptor: Descriptor;
  refNames: string[];
}

export interface CopyOptions {
  /** Which manifests of an index to copy (default: those the source has). A pull picks platforms here. */
  children?: (manifests: Descriptor[]) => Descriptor[];
  /** Blobs copied at once (default 4). */
  concurrency?: number;
  /** Told of the first failed copy, while the others are still running (a pull aborts them). */
  onFailure?: (error: unknown) => void;
  /**
   * Decompress every compressed layer once and check it against the config's diff ID (`load`).
   * Uncompressed layers are always checked: their digest is their diff ID.
   */
  verifyDiffIds?: boolean;
}

/**
 * One import into the store, all or nothing: blobs are ingested under a lease, images are named
 * in index.json only at commit, and an abort removes every blob this import created that nothing
 * else has come to need.
 */
export class ImportSession {
  readonly transferId: string;
  private readonly lease;
  private readonly created = new Set<Digest>();
  /** A copy failed: the copies a pull then aborts report as stopped, not as failures of their own. */
  private copyFailed = false;
  /** The document that lists each blob copied (the first one, for a blob listed twice), told with its progress. */
  private readonly parents = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly subject: string,
    private readonly onProgress: ProgressSink = () => undefined,
    private readonly operation: TransferProgress['operation'] = 'load',
    transferId: string = randomUUID(),
  ) {
    this.transferId = transferId;
    this.lease = store.newLease();
  }

  private emit(
    digest: string,
    kind: BlobKind,
    state: TransferProgress['state'],
    done: number,
    total: number | null,
    error?: string,
    stopped?: boolean,
  ) {
    const parent = this.parents.get(digest);
    this.onProgress({
      transferId: this.transferId,
      operation: this.operation,
      subject: this.subject,
      digest,
      kind,
      state,
      bytesDone: done,
      bytesTotal: total,
      ...(error ? { error } : {}),
      ...(stopped ? { stopped } : {}),
      ...(parent ? { parent } : {}),
    });
  }

  private record(result: IngestResult, kind: BlobKind): IngestResult {
    if (result.created) this.created.add(result.digest);
    this.emit(result.digest, kind, result.created ? 'done' : 'exists', result.size, result.size);
    return result;
  }

  async ingest(source: Readable, expected: IngestExpectation, kind: BlobKind): Promise<IngestResult> {
    const label = expected.digest ?? '(computing)';
    const throttle = new ProgressThrottle((done) => this.emit(label, kind, 'transferring', done, expected.size ?? null));
    const onBytes = (done: number) => {
      // The last byte is in: what is left is the digest check and the fsync.
      if (done === expected.size) {
        throttle.stop();
        return this.emit(label, kind, 'verifying', done, expected.size);
      }
      throttle.update(done);
    };
    try {
      const result = await ingestStream(this.store.layout, source, expected, this.lease, onBytes).finally(() => throttle.stop());
      return this.record(result, kind);
    } catch (err) {
      const stopped = this.copyFailed && ((err as StevedoreError).code === 'CANCELLED' || (err as Error).name === 'AbortError');
      this.emit(label, kind, 'failed', 0, expected.size ?? null, (err as Error).message, stopped);
      throw err;
    }
  }

  async ingestBytes(bytes: Uint8Array, expected: IngestExpectation, kind: BlobKind): Promise<IngestResult> {
    return this.record(await ingestBytes(this.store.layout, bytes, expected, this.lease), kind);
  }

  private async copyBlob(source: BlobSource, d: Descriptor, kind: BlobKind, what: string): Promise<void> {
    const expected = { digest: d.digest, size: d.size, what };
    if (source.isStore) {
      if (!source.has(d.digest))
        throw new StevedoreError('BLOB_NOT_FOUND', `${source.description} is missing ${what} (${d.digest})`);
      this.lease.add(d.digest);
      if (this.store.blobSize(d.digest) !== d.size) {
        throw new StevedoreError(
          'SIZE_MISMATCH',
          `${what} (${d.digest}) is ${this.store.blobSize(d.digest)} bytes, its descriptor says ${d.size}`,
        );
      }
      return;
    }
    if (!source.has(d.digest))
      throw new StevedoreError('BLOB_NOT_FOUND', `${source.description} is missing ${what} (${d.digest})`);
    if (this.store.blobSize(d.digest) === d.size) {
      this.lease.add(d.digest);
      if (!this.store.hasBlob(d.digest)) return this.copyBlob(source, d, kind, what);
      this.emit(d.digest, kind, 'exists', d.size, d.size);
      return;
    }
    await this.ingest(await source.open(d.digest, kind), expected, kind);
  }

  /**
   * Copies one image's DAG from the source, validating every document on the way down. The walk
   * is bounded (`DagBounds`): a document listed many times is copied once, and a nest of indexes
   * too deep or too wide fails in one sentence.
   */
  async copyImage(source: BlobSource, root: Descriptor, name: string, options: CopyOptions = {}): Promise<void> {
    await this.copyDocument(source, root, name, options, new DagBounds(name), 0);
  }

  private async copyDocument(
    source: BlobSource,
    root: Descriptor,
    name: string,
    options: CopyOptions,
    bounds: DagBounds,
    depth: number,
  ): Promise<void> {
    if (!bounds.enter(root.digest, depth)) return;
    const kind = isIndexMediaType(root.mediaType) ? 'index' : 'manifest';
    await this.copyBlob(source, root, kind, `the ${kind} of ${name}`);
    const doc = parseDocument(this.store.readBlob(root.digest), root.mediaType, `manifest of ${name}`);
    if (doc.kind === 'index') {
      const manifests = doc.index.manifests as Descriptor[];
      const children = options.children ? options.children(manifests) : manifests.filter((m) => source.has(m.digest));
      if (children.length === 0) {
        throw new StevedoreError(
          'BLOB_NOT_FOUND',
          `${source.description} holds none of the manifests that ${name}'s index lists`,
        );
      }
      for (const child of children) {
        if (!this.parents.has(child.digest)) this.parents.set(child.digest, root.digest);
        await this.copyDocument(source, child, name, options, bounds, depth + 1);
      }
      return;
    }
    const { manifest } = doc;
    for (let i = 0; i <= manifest.layers.length; i++) bounds.count();
    for (const d of [manifest.config, ...manifest.layers] as Descriptor[]) {
      if (!this.parents.has(d.digest)) this.parents.set(d.digest, root.digest);
      if (this.store.blobSize(d.digest) !== d.size)
        this.emit(d.digest, d === manifest.config ? 'config' : 'layer', 'queued', 0, d.size);
    }
    // The config comes first in the queue, and the layers follow without waiting for it: one
    // round trip (and one fsync) less on the way down. The config's checks come once all are in.
    const limit = pLimit(options.concurrency ?? LAYER_CONCURRENCY);
    let failure: { error: unknown } | undefined;
    const blobs = [
      { d: manifest.config as Descriptor, kind: 'config' as const, what: `the config of ${name}` },
      ...(manifest.layers as Descriptor[]).map((d, i) => ({ d, kind: 'layer' as const, what: `layer ${i + 1} of ${name}` })),
    ];
    // Every copy is waited for, even after a failure: an abort must not run while a copy could
    // still rename its blob into place (it would be left behind). Queued copies do not start.
    await Promise.allSettled(
      blobs.map(({ d, kind, what }) =>
        limit(async () => {
          if (failure) return;
          try {
            await this.copyBlob(source, d, kind, what);
          } catch (error) {
            if (!failure) {
              failure = { error };
              this.copyFailed = true;
              options.onFailure?.(error);
            }
          }
        }),
      ),
    );
    if (failure) throw failure.error;
    const config = parseConfig(this.store.readBlob(manifest.config.digest as Digest));
    checkLayersMatchConfig(manifest, config);
    (manifest.layers as Descriptor[]).forEach((layer, i) => {
      if (uncompressedLayerTypes.has(layer.mediaType) && config.rootfs.diff_ids[i] !== layer.digest) {
        throw new StevedoreError(
          'DIGEST_MISMATCH',
          `layer ${i + 1} of ${name} is ${layer.digest}, but the config's diff_id says ${config.rootfs.diff_ids[i]}`,
        );
      }
    });
    if (options.verifyDiffIds) await this.verifyCompressedLayers(manifest.layers as Descriptor[], config, name, limit);
  }

  /**
   * A compressed layer's diff ID is the digest of its uncompressed tar: only a decompress pass
   * shows whether the config tells the truth. The layer reader does that pass (and the size cap
   * that stops a decompression bomb); nothing is written. Several layers at once, as they were
   * copied: zlib inflates on libuv's threads.
   */
  private async verifyCompressedLayers(
    layers: Descriptor[],
    config: ImageConfig,
    name: string,
    limit: ReturnType<typeof pLimit>,
  ): Promise<void> {
    const checks = layers.map((layer, i) =>
      uncompressedLayerTypes.has(layer.mediaType)
        ? Promise.resolve()
        : limit(() =>
            readLayer(
              this.store,
              layer,
              {
                diffId: config.rootfs.diff_ids[i] as Digest,
                maxBytes: DEFAULT_MAX_UNPACK_BYTES,
                what: `layer ${i + 1} of ${name} (${layer.digest})`,
              },
              async (_header, body) => {
                body.resume();
              },
            ).then(() => undefined),
          ),
    );
    const results = await Promise.allSettled(checks);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Names the images in index.json, after checking under the lock that every blob is still there. */
  async commit(images: ImportedImage[]): Promise<LoadResult> {
    const result = await this.store.updateIndex((index) => {
      for (const { descriptor } of images) {
        for (const node of walkDag(this.store, descriptor)) {
          if (!node.present && !(node.kind === 'manifest' && node.parent)) {
            throw new StevedoreError(
              'BLOB_NOT_FOUND',
              `blob ${node.descriptor.digest} vanished during the import (a concurrent gc?); try again`,
            );
          }
        }
        if (descriptor.annotations?.[REF_NAME_ANNOTATION] !== undefined) {
          throw new StevedoreError('INTERNAL', 'imported descriptors must not carry a ref name');
        }
      }
      const references: string[] = [];
      for (const { descriptor, refNames } of images) if (refNames.length === 0) addUntagged(index, descriptor);
      // A pull stamps the names it gives with its time (the image list's "last pulled").
      const now = new Date();
      const target = (d: Descriptor) => (this.operation === 'pull' ? stampPulled(d, now) : d);
      const named = images.flatMap(({ descriptor, refNames }) =>
        refNames.map((refName) => ({ refName, target: target(descriptor) })),
      );
      setRefs(index, named);
      references.push(...named.map((n) => n.refName));
      return { references, images: [...new Set(images.map((i) => i.descriptor.digest))] };
    });
    this.lease.release();
    return result;
  }

  /** Undo: remove what this import created, unless an image or another running import needs it. */
  async abort(): Promise<void> {
    this.lease.release();
    await this.trim();
  }

  /**
   * After a commit, the same sweep drops what the archive carried but no image uses (an archive
   * may hold stray blobs); after an abort, it drops everything this import added.
   */
  async trim(): Promise<void> {
    if (this.created.size === 0) return;
    await this.store.updateIndex(() => {
      const reachable = markReachable(this.store);
      const leased = leasedDigests(this.store.layout);
      for (const digest of this.created) {
        if (!reachable.has(digest) && !leased.has(digest)) this.store.removeBlob(digest);
      }
    });
  }
}
