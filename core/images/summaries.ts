import type { ImageSummary } from '../api/images.schema.js';
import { familiarRepository, parseReference } from '../oci/reference.js';
import type { ImageRecord } from './imageRecords.js';

/** For each layer blob, how many distinct images use it: the basis of "shared size". */
export function layerUseCounts(images: ImageRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const image of images) {
    for (const digest of new Set(image.manifest.layers.map((l) => l.digest))) {
      counts.set(digest, (counts.get(digest) ?? 0) + 1);
    }
  }
  return counts;
}

export function imageSize(image: ImageRecord): number {
  return image.manifest.layers.reduce((sum, l) => sum + l.size, 0);
}

/** One row per name, like `docker images`; an untagged image gets one `<none>` row. */
export function summarize(images: ImageRecord[]): ImageSummary[] {
  const uses = layerUseCounts(images);
  const rows: ImageSummary[] = [];
  for (const image of images) {
    const seen = new Set<string>();
    let sharedSize = 0;
    for (const layer of image.manifest.layers) {
      if (seen.has(layer.digest)) continue;
      seen.add(layer.digest);
      if ((uses.get(layer.digest) ?? 0) > 1) sharedSize += layer.size;
    }
    const base = {
      id: image.configDigest,
      digest: image.top.digest,
      mediaType: image.top.mediaType,
      created: image.config.created ?? null,
      size: imageSize(image),
      sharedSize,
      layers: image.manifest.layers.length,
      platform: {
        os: image.config.os,
        architecture: image.config.architecture,
        ...(image.config.variant ? { variant: image.config.variant } : {}),
      },
    };
    if (image.refs.length === 0) {
      rows.push({ ...base, reference: null, repository: '<none>', tag: '<none>' });
      continue;
    }
    for (const ref of image.refs) {
      const parsed = parseReference(ref);
      rows.push({ ...base, reference: ref, repository: familiarRepository(parsed), tag: parsed.tag ?? '<none>' });
    }
  }
  return rows.sort(
    (a, b) => (b.created ?? '').localeCompare(a.created ?? '') || (a.reference ?? '').localeCompare(b.reference ?? ''),
  );
}
