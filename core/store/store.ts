import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import { REF_NAME_ANNOTATION } from '../oci/annotations.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { ImageIndex } from '../oci/manifest.js';
import { createEmptyIndex, descriptorsOf, indexText, readIndex, readIndexFile, writeIndex } from './indexFile.js';
import { removeAbandonedTempFiles } from './ingest.js';
import { blobPath, type StoreLayout, storeLayout } from './layout.js';
import { Lease } from './lease.js';
import { withStoreLock } from './lock.js';

export interface IndexEntry {
  descriptor: Descriptor;
  /** The full normalized reference, or undefined for an untagged (dangling) image. */
  refName: string | undefined;
}

/**
 * The content-addressable store: blobs that never change once written, and index.json naming
 * the images. All index changes go through `updateIndex`, which holds the store lock.
 */
export class Store {
  readonly layout: StoreLayout;

  private constructor(root: string) {
    this.layout = storeLayout(root);
  }

  static open(root: string): Store {
    const store = new Store(root);
    const { layout } = store;
    mkdirSync(layout.blobs, { recursive: true });
    mkdirSync(layout.ingest, { recursive: true });
    if (!existsSync(layout.layoutFile)) {
      writeFileSync(layout.layoutFile, `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`);
    }
    if (!existsSync(layout.indexFile)) createEmptyIndex(layout);
    removeAbandonedTempFiles(layout);
    return store;
  }

  get root(): string {
    return this.layout.root;
  }

  newLease(): Lease {
    return new Lease(this.layout);
  }

  blobPath(digest: Digest): string {
    return blobPath(this.layout, digest);
  }

  hasBlob(digest: Digest): boolean {
    return existsSync(this.blobPath(digest));
  }

  blobSize(digest: Digest): number | undefined {
    return statSync(this.blobPath(digest), { throwIfNoEntry: false })?.size;
  }

  readBlob(digest: Digest): Buffer {
    try {
      return readFileSync(this.blobPath(digest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new StevedoreError('BLOB_NOT_FOUND', `blob ${digest} is missing from the store (run fsck)`);
      }
      throw err;
    }
  }

  blobStream(digest: Digest): Readable {
    return createReadStream(this.blobPath(digest), { highWaterMark: 1 << 20 });
  }

  removeBlob(digest: Digest): void {
    rmSync(this.blobPath(digest), { force: true });
  }

  entries(): IndexEntry[] {
    return descriptorsOf(readIndex(this.layout)).map((descriptor) => ({
      descriptor,
      refName: descriptor.annotations?.[REF_NAME_ANNOTATION],
    }));
  }

  /** Read, change and write index.json under the store lock; the mutation sees the latest state. */
  async updateIndex<T>(mutate: (index: ImageIndex) => T | Promise<T>): Promise<T> {
    return withStoreLock(this.layout, async () => {
      const { index, text } = readIndexFile(this.layout);
      const result = await mutate(index);
      const next = indexText(index);
      // The same index (a rebuild tags the image its tag names already): no write, no fsync, and
      // watchers of index.json (the app's image list) are not woken for nothing.
      if (next !== text) writeIndex(this.layout, next);
      return result;
    });
  }
}
