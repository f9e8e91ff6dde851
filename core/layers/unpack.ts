import { PassThrough, type Readable } from 'node:stream';
import type { Digest } from '../digest/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Store } from '../store/store.js';
import { type ApplyReport, LayerApplier } from './apply.js';
import { readLayer } from './layerReader.js';

export const DEFAULT_MAX_UNPACK_BYTES = 64 * 1024 ** 3;

/**
 * Feeds one entry's body to several consumers: each gets every chunk. Backpressure is not
 * propagated: an entry is held in memory at most once per consumer that lags.
 */
function tee(body: Readable, count: number): Readable[] {
  if (count === 1) return [body];
  const copies = Array.from({ length: count }, () => new PassThrough({ highWaterMark: 1 << 20 }));
  body.on('data', (chunk: Buffer) => {
    for (const c of copies) c.write(chunk);
  });
  body.on('end', () => {
    for (const c of copies) c.end();
  });
  body.on('error', (err) => {
    for (const c of copies) c.destroy(err);
  });
  return copies;
}

/**
 * Applies one stored layer onto one or more root filesystems in one pass over the blob: the
 * layer is decompressed and checked once, each entry written to every root.
 */
export async function applyStoredLayer(
  store: Store,
  layer: Descriptor,
  diffId: Digest | undefined,
  roots: string[],
  options: { maxBytes: number; what: string },
): Promise<ApplyReport & { bytes: number }> {
  const appliers = roots.map((root) => new LayerApplier(root, { preserveOwnership: true }));
  const bytes = await readLayer(
    store,
    layer,
    { ...(diffId ? { diffId } : {}), maxBytes: options.maxBytes, what: options.what },
    async (header, body) => {
      const bodies = tee(body, appliers.length);
      await Promise.all(appliers.map((a, i) => a.apply({ header, body: bodies[i]! })));
    },
  );
  // Every root got the same entries, so one report speaks for all.
  const [report] = appliers.map((a) => a.finish());
  return { ...report!, bytes };
}
