import { StevedoreError } from '../errors.js';

/**
 * How deep indexes may nest in one image. The image spec allows an index to list indexes, and
 * real images use one level of that (an index of platform indexes); eight is far beyond any
 * honest image, and keeps a walk from following a chain of small hostile documents.
 */
export const MAX_INDEX_DEPTH = 8;

/** How many descriptors one image's walk may meet (documents, configs and layers, each edge once). */
export const MAX_DAG_DESCRIPTORS = 100_000;

/**
 * The bounds of one walk of an image's DAG. A document is descended into once, whatever the
 * number of edges that reach it: 31 small indexes each listing the next three times would
 * otherwise be 3^31 paths. Depth and descriptor count are capped too, with a one-line error.
 */
export class DagBounds {
  private readonly descended = new Set<string>();
  private descriptors = 0;

  constructor(private readonly name: string) {}

  /**
   * Called for each edge of the walk, with the depth of the document it leads to (the top is 0).
   * Returns true when that document is met for the first time and should be descended into.
   */
  enter(digest: string, depth: number): boolean {
    this.count();
    if (depth > MAX_INDEX_DEPTH) {
      throw new StevedoreError('INVALID_MANIFEST', `${this.name} has indexes nested more than ${MAX_INDEX_DEPTH} deep`);
    }
    if (this.descended.has(digest)) return false;
    this.descended.add(digest);
    return true;
  }

  /** Counts a leaf (config or layer) against the descriptor cap. */
  count(): void {
    if (++this.descriptors > MAX_DAG_DESCRIPTORS) {
      throw new StevedoreError('INVALID_MANIFEST', `${this.name} lists more than ${MAX_DAG_DESCRIPTORS} descriptors`);
    }
  }
}
