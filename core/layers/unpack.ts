import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Store } from '../store/store.js';
import { type ApplyReport, LayerApplier } from './apply.js';
import { readLayer } from './layerReader.js';

export const DEFAULT_MAX_UNPACK_BYTES = 64 * 1024 ** 3;

export interface UnpackOptions {
  maxBytes?: number;
  onLayer?: (index: number, total: number) => void;
}

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

/** `stevedore unpack`: the image's root filesystem, its layers applied in order, into an empty or new DIR. */
export async function unpackImage(store: Store, image: ImageRecord, dir: string, options: UnpackOptions = {}): Promise<string[]> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new StevedoreError('CONFLICT', `${dir} is not empty; unpack into a new or empty directory`);
  }
  mkdirSync(dir, { recursive: true });
  const notes = new Set<string>();
  let budget = options.maxBytes ?? DEFAULT_MAX_UNPACK_BYTES;
  const layers = image.manifest.layers as Descriptor[];
  for (const [i, layer] of layers.entries()) {
    options.onLayer?.(i, layers.length);
    const report = await applyStoredLayer(store, layer, image.config.rootfs.diff_ids[i] as Digest | undefined, dir, {
      maxBytes: budget,
      what: `layer ${i + 1} (${layer.digest})`,
    });
    budget -= report.bytes;
    for (const n of report.notes) notes.add(n);
  }
  return [...notes];
}
