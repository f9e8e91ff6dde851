import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Header, extract as tarExtract } from 'tar-stream';
import type { Digest } from '../digest/digest.js';
import { DigestingStream } from '../digest/hashing.js';
import { StevedoreError } from '../errors.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Store } from '../store/store.js';
import { decompressor, type LayerCompression, layerCompression, SizeCap } from './decompress.js';
import { decodeTarNames, TAR_NAME_ENCODING } from './tarNames.js';

export interface LayerReadOptions {
  /** The config's diff_id for this layer: the uncompressed tar is checked against it. */
  diffId?: Digest;
  /** Stop after this many uncompressed bytes. */
  maxBytes: number;
  what: string;
}

/**
 * Streams a stored layer's tar entries in order: decompressed by media type, checked against its
 * diff ID, stopped at the size cap. `visit` must consume each entry's body. The promise settles
 * only once the whole blob is read and checked, so a wrong diff ID fails even the last entry.
 * Resolves to the uncompressed size.
 */
export async function readLayer(
  store: Store,
  layer: Descriptor,
  options: LayerReadOptions,
  visit: (header: Header, body: Readable) => Promise<void>,
): Promise<number> {
  const compression = layerCompression(layer.mediaType);
  return readTar(store.blobStream(layer.digest), compression, options, visit);
}

/**
 * `readLayer` for any tar stream, compressed as `compression` says: the same decompression, diff ID
 * check, size cap and damaged-archive messages. Resolves to the uncompressed size.
 */
export async function readTar(
  source: Readable,
  compression: LayerCompression,
  options: LayerReadOptions,
  visit: (header: Header, body: Readable) => Promise<void>,
): Promise<number> {
  const inflate = decompressor(compression, options.what);
  const verify = new DigestingStream(options.diffId ? { digest: options.diffId, what: `${options.what} (diff ID)` } : undefined);
  // Names as their bytes, then decoded here: tar-stream's own UTF-8 decoding is lossy (tarNames.ts).
  // (tar-stream takes the option without declaring it.)
  const extract = tarExtract({ filenameEncoding: TAR_NAME_ENCODING } as unknown as Parameters<typeof tarExtract>[0]);
  const stages = [source, ...(inflate ? [inflate] : []), verify, new SizeCap(options.maxBytes, options.what), extract];
  const flowing = pipeline(stages as [Readable, ...NodeJS.WritableStream[]]);
  const consuming = (async () => {
    for await (const entry of extract) {
      decodeTarNames(entry.header);
      await visit(entry.header, entry as unknown as Readable);
    }
  })();
  try {
    await Promise.all([flowing, consuming]);
    return verify.size;
  } catch (err) {
    extract.destroy();
    const message = (err as Error).message ?? '';
    if (err instanceof StevedoreError) throw err;
    if (/unexpected end|incorrect header|invalid tar header|premature close/i.test(message)) {
      throw new StevedoreError('INVALID_ARCHIVE', `${options.what} is damaged or truncated (${message})`);
    }
    throw err;
  }
}
