import { matchImage } from '../../../../core/api/imageMatch';
import type { ImageSummary } from '../../../../core/api/images.schema';

/**
 * The stored image a typed name means, by the engine's own rule (core/api/imageMatch.ts). Null
 * when the store has none, or several match: the engine will say so, and the dialog offers a pull.
 */
export function findImage(images: ImageSummary[], text: string): ImageSummary | null {
  const wanted = text.trim();
  if (wanted === '') return null;
  const match = matchImage(images, wanted, (i) => ({
    names: i.reference === null ? [] : [i.reference],
    id: i.id,
    digests: [i.digest],
  }));
  return match.kind === 'found' ? match.image : null;
}

/** How the Run dialog names an image: `busybox:latest` as docker shows it, or its digest when untagged. */
export function runName(image: ImageSummary): string {
  return image.reference === null ? image.digest : `${image.repository}:${image.tag}`;
}
