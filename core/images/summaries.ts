import type { ImageSummary } from '../api/images.schema.js';
import { familiarRepository, parseReference } from '../oci/reference.js';
import { byCodeUnits } from '../text/codeUnitOrder.js';
import type { NamedFacts } from './imageFacts.js';
import type { ImageRecord } from './imageRecords.js';

/** For each layer blob, how many distinct images use it: the basis of "shared size". */
function countUses(images: NamedFacts[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { layers } of images) {
    for (let i = 0; i < layers.length; i++) {
      if (isFirst(layers, i)) counts.set(layers[i]![0], (counts.get(layers[i]![0]) ?? 0) + 1);
    }
  }
  return counts;
}

export function imageSize(image: ImageRecord): number {
  return image.manifest.layers.reduce((sum, l) => sum + l.size, 0);
}

/**
 * One row per name, like `docker images`; an untagged image gets one `<none>` row. Rows are
 * written out field by field: an object spread (`{ ...base, reference }`) costs ten times as much,
 * and at 20,000 images it was most of the listing.
 */
export function summarize(images: NamedFacts[]): ImageSummary[] {
  const uses = countUses(images);
  const rows: ImageSummary[] = [];
  for (const image of images) {
    let size = 0;
    let sharedSize = 0;
    const { layers } = image;
    for (let i = 0; i < layers.length; i++) {
      const [digest, layerSize] = layers[i]!;
      size += layerSize;
      // A layer listed twice in one image counts once towards what it shares.
      if (!isFirst(layers, i)) continue;
      if ((uses.get(digest) ?? 0) > 1) sharedSize += layerSize;
    }
    const platform: ImageSummary['platform'] = image.variant
      ? { os: image.os, architecture: image.architecture, variant: image.variant }
      : { os: image.os, architecture: image.architecture };
    const row = (reference: string | null, repository: string, tag: string, pulledAt: string | null): ImageSummary => ({
      id: image.configDigest,
      digest: image.topDigest,
      mediaType: image.topMediaType,
      created: image.created,
      size,
      sharedSize,
      layers: layers.length,
      platform,
      reference,
      repository,
      tag,
      pulledAt,
    });
    if (image.refs.length === 0) {
      rows.push(row(null, '<none>', '<none>', null));
      continue;
    }
    for (const ref of image.refs) {
      const parsed = parseReference(ref);
      rows.push(row(ref, familiarRepository(parsed), parsed.tag ?? '<none>', image.pulled?.[ref] ?? null));
    }
  }
  // Newest first (`created` is ISO 8601: its text order is its time order), then by name.
  return rows.sort((a, b) => byCodeUnits(b.created ?? '', a.created ?? '') || byCodeUnits(a.reference ?? '', b.reference ?? ''));
}

/** Whether layer `i` is the first with its digest (images have a few layers: a scan beats a Set). */
function isFirst(layers: [string, number][], i: number): boolean {
  const digest = layers[i]![0];
  for (let j = 0; j < i; j++) if (layers[j]![0] === digest) return false;
  return true;
}
