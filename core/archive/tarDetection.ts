// Whether a file is a tar once decompressed: what ADD asks. Apart from compression.ts, whose
// detection every command loads, since the decompressors it needs cost start-up (the builder,
// which alone uses this, is loaded on demand).
import { Gunzip } from 'fflate';
import { ZstdInflater } from '../layers/zstdStream.js';
import { type Compression, detectCompression, looksLikeTar, readHead } from './compression.js';

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
  // zstd a block at a time (zstdStream.ts): a slice of RLE blocks would otherwise decode whole.
  const zstd = compression === 'zstd' ? new ZstdInflater('the archive') : undefined;
  const gzip = compression === 'gzip' ? new Gunzip(keep) : undefined;
  try {
    for (let at = 0; at < data.length && length < bytes; at += 512) {
      const slice = data.subarray(at, at + 512);
      if (gzip) gzip.push(slice);
      for (const block of zstd?.push(slice) ?? []) {
        keep(block);
        if (length >= bytes) break;
      }
    }
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
