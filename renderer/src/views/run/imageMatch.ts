import type { ImageSummary } from '../../../../core/api/images.schema';
import { checkReference } from '../pull/referenceCheck';

/**
 * The stored image a typed name means, found the way the engine finds it: a name (normalized, so
 * `busybox` is `docker.io/library/busybox:latest`), a manifest digest, or an image ID or its
 * prefix. Null when the store has none: the engine will say so, and the dialog offers a pull.
 */
export function findImage(images: ImageSummary[], text: string): ImageSummary | null {
  const wanted = text.trim();
  if (wanted === '') return null;
  const check = checkReference(wanted);
  if (check.ok) {
    const named = images.find((i) => i.reference === check.reference.normalized);
    if (named) return named;
  }
  const hex = wanted.replace(/^sha256:/, '');
  if (!/^[0-9a-f]{12,64}$/.test(hex)) return null;
  return images.find((i) => i.digest === `sha256:${hex}` || i.id.slice('sha256:'.length).startsWith(hex)) ?? null;
}

/** How the Run dialog names an image: `busybox:latest` as docker shows it, or its digest when untagged. */
export function runName(image: ImageSummary): string {
  return image.reference === null ? image.digest : `${image.repository}:${image.tag}`;
}
