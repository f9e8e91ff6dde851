import { type Duplex, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { StevedoreError } from '../errors.js';
import { MediaType } from '../oci/mediaTypes.js';
import { zstdStream } from './zstdStream.js';

export type LayerCompression = 'none' | 'gzip' | 'zstd';

const byMediaType: Record<string, LayerCompression> = {
  [MediaType.ociLayer]: 'none',
  [MediaType.ociLayerNondistributable]: 'none',
  [MediaType.dockerLayer]: 'none',
  [MediaType.ociLayerGzip]: 'gzip',
  [MediaType.ociLayerNondistributableGzip]: 'gzip',
  [MediaType.dockerLayerGzip]: 'gzip',
  [MediaType.dockerForeignLayerGzip]: 'gzip',
  [MediaType.ociLayerZstd]: 'zstd',
  [MediaType.ociLayerNondistributableZstd]: 'zstd',
};

export function layerCompression(mediaType: string): LayerCompression {
  const c = byMediaType[mediaType];
  if (!c) throw new StevedoreError('UNSUPPORTED_MEDIA_TYPE', `unsupported layer media type ${mediaType}`);
  return c;
}

/**
 * The decompressing stage for a layer's tar, `what` naming it in errors. Both honour
 * back-pressure, so that memory stays flat whatever the ratio (a decompression bomb is stopped by
 * `SizeCap` downstream before it grows): zlib stops inflating while its output is unread, even
 * within one input chunk; zstd is decoded a block at a time (zstdStream.ts).
 */
export function decompressor(compression: LayerCompression, what: string): Duplex | undefined {
  if (compression === 'gzip') return createGunzip({ chunkSize: 1 << 20 });
  if (compression === 'zstd') return zstdStream(what);
  return undefined;
}

/**
 * A stream that expanded past its unpack limit (a decompression bomb?), said with the limit. Only
 * a caller that offers a way to raise it (`stevedore unpack --max-size`) adds that, by `withHint`.
 */
export class UnpackLimitError extends StevedoreError {
  constructor(
    readonly what: string,
    readonly limit: number,
    hint?: string,
  ) {
    super(
      'INVALID_ARCHIVE',
      `${what} expands past the unpack limit of ${limit} bytes (a decompression bomb?)${hint ? `; ${hint}` : ''}`,
    );
  }

  withHint(hint: string): UnpackLimitError {
    return new UnpackLimitError(this.what, this.limit, hint);
  }
}

/** Counts uncompressed bytes and stops a decompression bomb at the cap, with a sentence that says so. */
export class SizeCap extends Transform {
  private total = 0;

  constructor(
    private readonly cap: number,
    private readonly what: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    this.total += chunk.length;
    if (this.total > this.cap) {
      done(new UnpackLimitError(this.what, this.cap));
      return;
    }
    done(null, chunk);
  }
}
