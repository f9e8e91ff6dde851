import type { ImageSummary } from '../../../../core/api/images.schema';
import type { ImageSort } from '../../state/uiStore';

/**
 * One row of the list. images.list gives one entry per name, so an image with two tags is two
 * rows; an untagged image has no name and is keyed by its manifest digest, which the engine
 * accepts wherever it accepts a name.
 */
export interface ImageRow {
  key: string;
  image: ImageSummary;
  /** Lower-cased text the search box matches against. */
  haystack: string;
}

/**
 * The row key of an images.list entry: its name, or its manifest digest when untagged. Wherever an
 * image is picked or opened (a build's result, the store graph, the Run dialog) it is this key.
 */
export function imageKey(image: Pick<ImageSummary, 'reference' | 'digest'>): string {
  return image.reference ?? image.digest;
}

export function toRows(images: ImageSummary[]): ImageRow[] {
  return images.map((image) => ({
    key: imageKey(image),
    image,
    haystack: [
      image.repository,
      image.tag,
      `${image.repository}:${image.tag}`,
      image.reference ?? '',
      image.id.replace(/^sha256:/, ''),
    ]
      .join('\n')
      .toLowerCase(),
  }));
}

/** Rows whose repository, tag, `repository:tag`, full name or image ID contain the search text. */
export function filterRows(rows: ImageRow[], search: string): ImageRow[] {
  const needle = search.trim().toLowerCase();
  if (!needle) return rows;
  return rows.filter((r) => r.haystack.includes(needle));
}

/**
 * Rows of the images named in `names` (as the engine names images to people: `repo:tag` in
 * docker's short form, or a short ID), every name of each: a layer's "Shared with N images".
 */
export function rowsNamed(rows: ImageRow[], names: readonly string[]): ImageRow[] {
  const wanted = new Set(names);
  const ids = new Set(
    rows
      .filter(
        (r) => wanted.has(`${r.image.repository}:${r.image.tag}`) || wanted.has(r.image.id.replace(/^sha256:/, '').slice(0, 12)),
      )
      .map((r) => r.image.id),
  );
  return rows.filter((r) => ids.has(r.image.id));
}

const byName = (a: ImageRow, b: ImageRow) =>
  a.image.repository.localeCompare(b.image.repository) || a.image.tag.localeCompare(b.image.tag);
const createdTime = (row: ImageRow) => (row.image.created ? Date.parse(row.image.created) || 0 : 0);

/** The rows in the order a column header asks; ties by name, so the order is stable. */
export function sortRows(rows: ImageRow[], sort: ImageSort | null): ImageRow[] {
  if (!sort) return rows;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  if (sort.column === 'pulled') {
    // Names never pulled (loaded, built, tagged) come last either way: they have no time to order by.
    const pulled = (row: ImageRow) => (row.image.pulledAt ? Date.parse(row.image.pulledAt) || null : null);
    return [...rows].sort((a, b) => {
      const [x, y] = [pulled(a), pulled(b)];
      if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
      return sign * (x - y) || byName(a, b);
    });
  }
  const compare =
    sort.column === 'name'
      ? byName
      : sort.column === 'size'
        ? (a: ImageRow, b: ImageRow) => a.image.size - b.image.size
        : (a: ImageRow, b: ImageRow) => createdTime(a) - createdTime(b);
  return [...rows].sort((a, b) => sign * compare(a, b) || byName(a, b));
}
