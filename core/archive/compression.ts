import { closeSync, openSync, readSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { Gunzip } from 'fflate';
import { Decompress as ZstdDecompress } from 'fzstd';

export type Compression = 'none' | 'gzip' | 'zstd';

export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** True when a 512-byte block looks like a tar header (ustar or GNU magic at offset 257). */
export function looksLikeTar(head: Uint8Array): boolean {
  return head.length >= 262 && Buffer.from(head.subarray(257, 262)).toString('latin1') === 'ustar';
}

/** Up to the first `bytes` bytes of a file. */
export function readHead(path: string, bytes: number): Buffer {
  const head = Buffer.alloc(bytes);
  const fd = openSync(path, 'r');
  try {
    return head.subarray(0, readSync(fd, head, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Up to `bytes` of what `data`, the start of a stream compressed as `compression`, decompresses
 * to; fewer when it ends first or is damaged. Fed a slice at a time and kept only to `bytes`, so
 * the start of a bomb stays small.
 */
export function decompressedHead(data: Uint8Array, compression: Compression, bytes: number): Buffer {
  if (compression === 'none') return Buffer.from(data.subarray(0, bytes));
  const out: Uint8Array[] = [];
  let length = 0;
  const keep = (chunk: Uint8Array) => {
    if (length >= bytes) return;
    out.push(chunk.slice(0, bytes - length));
    length += Math.min(chunk.length, bytes - length);
  };
  const inflater = compression === 'gzip' ? new Gunzip(keep) : new ZstdDecompress(keep);
  try {
    for (let at = 0; at < data.length && length < bytes; at += 512) inflater.push(data.subarray(at, at + 512));
  } catch {
    // Damaged: what came out before is all there is.
  }
  return Buffer.concat(out).subarray(0, bytes);
}

/**
 * How a file is a tar, as docker tells it for ADD: by its first bytes once decompressed (gzip or
 * zstd), not by its name. Undefined when it is no tar, compressed or not (a gzipped text file).
 */
export function tarCompression(path: string): Compression | undefined {
  // Enough compressed bytes for a gzip header's optional fields or a zstd first block.
  const head = readHead(path, 256 << 10);
  const compression = detectCompression(head);
  return looksLikeTar(decompressedHead(head, compression, 512)) ? compression : undefined;
}

/** A pass-through that remembers the first bytes, to tell later how the content was compressed. */
export class HeadCapture extends Transform {
  private head = Buffer.alloc(0);

  get compression(): Compression {
    return detectCompression(this.head);
  }

  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    if (this.head.length < 8) this.head = Buffer.concat([this.head, chunk.subarray(0, 8 - this.head.length)]);
    done(null, chunk);
  }
}
