import type { Digest } from '../digest/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Manifest } from '../oci/manifest.js';
import { MediaType } from '../oci/mediaTypes.js';
import { ingestBytes } from '../store/ingest.js';
import type { Lease } from '../store/lease.js';
import { addUntagged, setRefs } from '../store/refs.js';
import type { Store } from '../store/store.js';
import type { BuildState } from './buildState.js';

/**
 * The built image's config and an OCI manifest naming its layers, as blobs held by `lease` and
 * named nowhere yet. The same state gives the same bytes, so the same digests: JSON of fixed key
 * order, no timestamps but those the config carries.
 */
export async function writeImageBlobs(
  store: Store,
  state: BuildState,
  lease: Lease,
): Promise<{ imageId: Digest; manifest: Descriptor; document: Manifest }> {
  const configBytes = Buffer.from(JSON.stringify(state.config));
  const config = await ingestBytes(store.layout, configBytes, {}, lease);
  const document = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: config.digest, size: config.size },
    layers: state.layers.map((l) => l.descriptor),
  } as Manifest;
  const manifestBytes = Buffer.from(JSON.stringify(document));
  const stored = await ingestBytes(store.layout, manifestBytes, {}, lease);
  const manifest: Descriptor = { mediaType: MediaType.ociManifest, digest: stored.digest, size: stored.size };
  return { imageId: config.digest as Digest, manifest, document };
}

/** Writes the built image (writeImageBlobs), then under the store lock its tags, or an untagged entry. */
export async function commitImage(
  store: Store,
  state: BuildState,
  tags: string[],
): Promise<{ imageId: Digest; manifest: Descriptor }> {
  const lease = store.newLease();
  try {
    const { imageId, manifest: descriptor } = await writeImageBlobs(store, state, lease);
    await store.updateIndex((index) => {
      if (tags.length > 0)
        setRefs(
          index,
          tags.map((refName) => ({ refName, target: descriptor })),
        );
      else addUntagged(index, descriptor);
    });
    return { imageId, manifest: descriptor };
  } finally {
    lease.release();
  }
}
