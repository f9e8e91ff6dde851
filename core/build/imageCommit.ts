import type { Digest } from '../digest/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import { MediaType } from '../oci/mediaTypes.js';
import { ingestBytes } from '../store/ingest.js';
import { addUntagged, setRefs } from '../store/refs.js';
import type { Store } from '../store/store.js';
import type { BuildState } from './buildState.js';

/**
 * Writes the built image: its config and an OCI manifest naming the layers, then (under the
 * store lock) its tags, or an untagged entry. The same state gives the same bytes, so the same
 * digests: JSON of fixed key order, no timestamps but those the config carries.
 */
export async function commitImage(
  store: Store,
  state: BuildState,
  tags: string[],
): Promise<{ imageId: Digest; manifest: Descriptor }> {
  const lease = store.newLease();
  try {
    const configBytes = Buffer.from(JSON.stringify(state.config));
    const config = await ingestBytes(store.layout, configBytes, {}, lease);
    const manifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: config.digest, size: config.size },
      layers: state.layers.map((l) => l.descriptor),
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest));
    const stored = await ingestBytes(store.layout, manifestBytes, {}, lease);
    const descriptor: Descriptor = { mediaType: MediaType.ociManifest, digest: stored.digest, size: stored.size };
    await store.updateIndex((index) => {
      if (tags.length > 0)
        setRefs(
          index,
          tags.map((refName) => ({ refName, target: descriptor })),
        );
      else addUntagged(index, descriptor);
    });
    return { imageId: config.digest as Digest, manifest: descriptor };
  } finally {
    lease.release();
  }
}
