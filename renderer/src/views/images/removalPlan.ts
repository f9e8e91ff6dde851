import { shortId } from '../../../../core/text/humanize';
import type { ImageRow } from './imageRows';

/** What removing the picked rows does to one image, said before it is done. */
export interface Removal {
  /** The image ID. */
  id: string;
  /** The picked names of the image (`repo:tag`), or its short ID when it has none. */
  names: string[];
  /**
   * `delete`: the image goes (its layers other images share stay); `untag`: only the names go,
   * the image stays under `keptNames`; `refused`: containers stand on it, nothing happens.
   */
  outcome: 'delete' | 'untag' | 'refused';
  keptNames: string[];
  containers: string[];
  size: number;
  /** What images.remove is given: full names (an untag, or the last name deletes), or the digest of an untagged image. */
  refs: string[];
}

export const displayName = (row: ImageRow) =>
  row.image.reference === null ? shortId(row.image.id) : `${row.image.repository}:${row.image.tag}`;

/**
 * Docker's rules, known before asking: a name of an image that keeps another name is untagged;
 * the image goes with its last name (or when it has none), unless a container stands on it,
 * and then nothing of it goes (docker rmi refuses the same).
 */
export function planRemoval(picked: ImageRow[], all: ImageRow[], inUse: Map<string, string[]>): Removal[] {
  const byImage = new Map<string, ImageRow[]>();
  for (const row of picked) byImage.set(row.image.id, [...(byImage.get(row.image.id) ?? []), row]);
  return [...byImage].map(([id, rows]) => {
    const pickedKeys = new Set(rows.map((r) => r.key));
    const kept = all.filter((r) => r.image.id === id && r.image.reference !== null && !pickedKeys.has(r.key));
    const containers = inUse.get(id) ?? [];
    const first = rows[0] as ImageRow;
    const outcome = kept.length > 0 ? 'untag' : containers.length > 0 ? 'refused' : 'delete';
    return {
      id,
      names: rows.map(displayName),
      outcome,
      keptNames: kept.map(displayName),
      containers,
      size: first.image.size,
      refs: outcome === 'refused' ? [] : rows.map((r) => r.image.reference ?? r.image.digest),
    };
  });
}
