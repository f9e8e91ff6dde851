import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { ImageRecord } from '../images/imageRecords.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Store } from '../store/store.js';
import { writeFileAtomic } from '../system/atomicFile.js';
import { readLayer } from './layerReader.js';
import { DEFAULT_MAX_UNPACK_BYTES } from './unpack.js';

/**
 * What a layer takes unpacked, as docker counts an image's SIZE (moby's directory.Size over a
 * layer's diff): every regular file's size and every symlink's target length, a hard link once
 * (its tar entry carries no bytes), directories nothing. Read off the tar headers, so it is the
 * same on every filesystem and without unpacking anything.
 */
export async function measureUnpackedLayer(store: Store, layer: Descriptor, what: string): Promise<number> {
  let size = 0;
  await readLayer(store, layer, { maxBytes: DEFAULT_MAX_UNPACK_BYTES, what }, async (header, body) => {
    const type = header.type ?? 'file';
    if (type === 'file' || type === 'contiguous-file') size += header.size ?? 0;
    else if (type === 'symlink') size += Buffer.byteLength(header.linkname ?? '');
    body.resume();
  });
  return size;
}

const VERSION = 1;

interface CacheFile {
  version: number;
  /** Unpacked bytes by diff ID (what a layer unpacks to does not depend on its compression). */
  layers: Record<string, number>;
  /** Each image ID's diff IDs, in order: an image listed again needs neither its config nor its layers read. */
  images: Record<string, string[]>;
}

/**
 * The unpacked sizes of images' layers, measured once and kept in `<root>/cache/unpacked-sizes.json`.
 * Derived and disposable, as the image facts cache: a damaged or missing file is measured again.
 * Concurrent writers lose nothing but work (the file is replaced whole, atomically).
 */
export class UnpackedSizes {
  private readonly file: string;

  constructor(private readonly store: Store) {
    this.file = join(store.root, 'cache', 'unpacked-sizes.json');
  }

  /** An image's diff IDs, when this cache has them and every layer's size. */
  cached(imageId: string): { diffIds: string[]; sizes: number[] } | undefined {
    const cache = this.read();
    const diffIds = cache.images[imageId];
    if (!diffIds) return undefined;
    const sizes = diffIds.map((d) => cache.layers[d]);
    return sizes.every((s) => s !== undefined) ? { diffIds, sizes: sizes as number[] } : undefined;
  }

  /**
   * Measures the layers of `images` that the cache does not have yet (two at once: zlib and zstd
   * inflate off the main thread), and keeps them. A layer that cannot be read is left out, and so
   * its image has no unpacked size.
   */
  async measure(images: ImageRecord[]): Promise<void> {
    const cache = this.read();
    const limit = pLimit(2);
    const pending = new Map<string, Promise<void>>();
    for (const image of images) {
      const diffIds = image.config.rootfs.diff_ids as string[];
      cache.images[image.configDigest] = diffIds;
      image.manifest.layers.forEach((layer, i) => {
        const diffId = diffIds[i];
        if (diffId === undefined || cache.layers[diffId] !== undefined || pending.has(diffId)) return;
        pending.set(
          diffId,
          limit(async () => {
            try {
              cache.layers[diffId] = await measureUnpackedLayer(this.store, layer as Descriptor, `layer ${layer.digest}`);
            } catch {
              // not stored (a partial pull), or damaged: fsck says which
            }
          }),
        );
      });
    }
    await Promise.all(pending.values());
    this.memory = cache;
    try {
      mkdirSync(join(this.store.root, 'cache'), { recursive: true });
      writeFileAtomic(this.file, JSON.stringify(cache), { durable: false });
    } catch {
      // a read-only store lists all the same, measuring again next time
    }
  }

  private memory: CacheFile | undefined;

  private read(): CacheFile {
    if (this.memory) return this.memory;
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as CacheFile;
      if (parsed.version === VERSION && parsed.layers && parsed.images) this.memory = parsed;
    } catch {
      // none yet, or damaged: measured again
    }
    this.memory ??= { version: VERSION, layers: {}, images: {} };
    return this.memory;
  }
}
