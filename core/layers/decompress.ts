import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import { StevedoreError } from '../errors.js';
import { MediaType } from '../oci/mediaTypes.js';

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

/** zstd through fzstd (Node 20's zlib has no zstd), as a stream. */
class ZstdStream extends Transform {
  private readonly inflater = new ZstdDecompress((chunk) => {
    this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  });

  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    try {
      this.inflater.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      done();
    } catch (err) {
      done(new StevedoreError('INVALID_ARCHIVE', `the zstd layer is damaged: ${(err as Error).message}`));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.inflater.push(new Uint8Array(0), true);
      done();
    } catch (err) {
      done(new StevedoreError('INVALID_ARCHIVE', `the zstd layer is damaged: ${(err as Error).message}`));
    }
  }
}

export function decompressor(compression: LayerCompression): Transform | undefined {
  if (compression === 'gzip') return createGunzip({ chunkSize: 1 << 20 });
  if (compression === 'zstd') return new ZstdStream();
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
