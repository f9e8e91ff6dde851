import type { Digest } from '../digest/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Store } from '../store/store.js';
import { type ApplyReport, LayerApplier } from './apply.js';
import { readLayer } from './layerReader.js';

export const DEFAULT_MAX_UNPACK_BYTES = 64 * 1024 ** 3;

/** Applies one stored layer onto a root filesystem. */
export async function applyStoredLayer(
  store: Store,
  layer: Descriptor,
  diffId: Digest | undefined,
  root: string,
  options: { maxBytes: number; what: string },
): Promise<ApplyReport & { bytes: number }> {
  const applier = new LayerApplier(root, { preserveOwnership: true });
  const bytes = await readLayer(
    store,
    layer,
    { ...(diffId ? { diffId } : {}), maxBytes: options.maxBytes, what: options.what },
    (header, body) => applier.apply({ header, body }),
  );
  return { ...applier.finish(), bytes };
}
