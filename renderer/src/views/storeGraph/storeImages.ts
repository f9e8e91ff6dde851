import type { ImageSummary } from '../../../../core/api/images.schema';
import { shortId } from '../../../../core/text/humanize';
import type { StoreImage } from '../../components/graph/graphModel';
import { imageKey } from '../images/imageRows';

export interface NamedStoreImage extends StoreImage {
  /** The Images view's key for it: a reference, or the digest when untagged. */
  key: string;
  repositories: string[];
}

/**
 * images.list has a row per name; the graph wants one entry per image (per index.json digest),
 * with every name it goes by, spelled as the DAG's usedBy spells them.
 */
export function storeImages(summaries: readonly ImageSummary[]): NamedStoreImage[] {
  const byRoot = new Map<string, NamedStoreImage>();
  for (const s of summaries) {
    let image = byRoot.get(s.digest);
    if (!image) {
      image = { root: s.digest, names: [], key: imageKey(s), repositories: [] };
      byRoot.set(s.digest, image);
    }
    if (s.reference === null) continue;
    image.names.push(`${s.repository}:${s.tag}`);
    if (!image.repositories.includes(s.repository)) image.repositories.push(s.repository);
  }
  for (const image of byRoot.values()) if (image.names.length === 0) image.names.push(shortId(image.root));
  return [...byRoot.values()];
}

/** The images with a repository containing the text (case-insensitive); all of them for no text. */
export function filterByRepository(images: readonly NamedStoreImage[], text: string): NamedStoreImage[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [...images];
  return images.filter((i) => i.repositories.some((r) => r.toLowerCase().includes(needle)));
}
