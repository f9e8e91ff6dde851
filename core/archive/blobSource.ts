import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type Digest, digestAlgorithm, digestHex } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { Store } from '../store/store.js';

/** What a blob is in its image, as transfers report it. */
export type BlobKind = 'index' | 'manifest' | 'config' | 'layer' | 'blob';

/**
 * Where an import reads blobs from: an image layout on disk, the store itself (staged blobs), or
 * a registry (core/registry/pull.ts), which opens a blob only once asked, so `open` may be async.
 */
export interface BlobSource {
  readonly description: string;
  /** True when blobs are already in the store and verified, so nothing needs copying. */
  readonly isStore: boolean;
  has(digest: Digest): boolean;
  /** `kind` tells a registry whether to fetch a manifest or a blob. */
  open(digest: Digest, kind: BlobKind): Readable | Promise<Readable>;
}

export function layoutDirectorySource(dir: string): BlobSource {
  const path = (d: Digest) => join(dir, 'blobs', digestAlgorithm(d), digestHex(d));
  return {
    description: `layout ${dir}`,
    isStore: false,
    has: (d) => existsSync(path(d)),
    open: (d) => {
      if (!existsSync(path(d))) throw new StevedoreError('BLOB_NOT_FOUND', `layout ${dir} is missing blob ${d}`);
      return createReadStream(path(d), { highWaterMark: 1 << 20 });
    },
  };
}

export function stagedSource(store: Store, description: string): BlobSource {
  return {
    description,
    isStore: true,
    has: (d) => store.hasBlob(d),
    open: (d) => store.blobStream(d),
  };
}
