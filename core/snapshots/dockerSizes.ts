import type { ImageSummary } from '../api/images.schema.js';
import type { Digest } from '../digest/digest.js';
import { ImageRecords } from '../images/imageRecords.js';
import { UnpackedSizes } from '../layers/unpackedSize.js';
import type { Store } from '../store/store.js';
import { chainIds } from './chainId.js';

/** docker's sizes of one image: unpacked (null when a layer could not be read) and the unpacked part other images share. */
export interface DockerSizes {
  size: number | null;
  sharedSize: number | null;
}

/**
 * `images`' SIZE and SHARED SIZE as docker gives them: the layers unpacked, and the part of that in
 * layers another image (another image ID) stands on too, layers being the same when their chain
 * IDs are (the same content on the same parents, whatever the compression). Every image of the
 * store counts for sharing, not only those listed. Measured once per layer (UnpackedSizes).
 */
export async function dockerSizes(store: Store, images: ImageSummary[]): Promise<Map<string, DockerSizes>> {
  const sizes = new UnpackedSizes(store);
  const ids = [...new Set(images.map((i) => i.id))];
  const missing = ids.filter((id) => !sizes.cached(id));
  if (missing.length > 0) {
    const wanted = new Set(missing);
    await sizes.measure(new ImageRecords(store).all().images.filter((r) => wanted.has(r.configDigest)));
  }
  const layersOf = new Map<string, { chain: string[]; sizes: number[] } | undefined>();
  const users = new Map<string, number>();
  for (const id of ids) {
    const found = sizes.cached(id);
    const chain = found ? chainIds(found.diffIds as Digest[]) : undefined;
    layersOf.set(id, found && chain ? { chain, sizes: found.sizes } : undefined);
    for (const link of new Set(chain)) users.set(link, (users.get(link) ?? 0) + 1);
  }
  const result = new Map<string, DockerSizes>();
  for (const id of ids) {
    const layers = layersOf.get(id);
    if (!layers) {
      result.set(id, { size: null, sharedSize: null });
      continue;
    }
    let size = 0;
    let sharedSize = 0;
    layers.chain.forEach((link, i) => {
      const bytes = layers.sizes[i] ?? 0;
      size += bytes;
      if ((users.get(link) ?? 0) > 1) sharedSize += bytes;
    });
    result.set(id, { size, sharedSize });
  }
  return result;
}
