import type { Readable } from 'node:stream';
import type { Digest } from '../digest/digest.js';
import { DigestingStream } from '../digest/hashing.js';
import type { Descriptor } from '../oci/descriptor.js';
import { MediaType } from '../oci/mediaTypes.js';
import { ingestStream } from '../store/ingest.js';
import type { Lease } from '../store/lease.js';
import type { Store } from '../store/store.js';
import { DeterministicGzip } from './deterministicGzip.js';

/**
 * Stores a layer tar as a gzip blob in one pass, hashing the tar on the way (its diff ID) and the
 * compressed bytes as they land (its digest). Returns the manifest descriptor and the diff ID.
 */
export async function storeLayerTar(
  store: Store,
  lease: Lease,
  tar: Readable,
): Promise<{ descriptor: Descriptor; diffId: Digest }> {
  const diff = new DigestingStream();
  const gzip = new DeterministicGzip();
  tar.on('error', (err) => gzip.destroy(err));
  diff.on('error', (err) => gzip.destroy(err));
  tar.pipe(diff).pipe(gzip);
  const stored = await ingestStream(store.layout, gzip, {}, lease);
  return { descriptor: { mediaType: MediaType.ociLayerGzip, digest: stored.digest, size: stored.size }, diffId: diff.digest };
}
