import type { Dag, DagNode } from '../../../../core/api/dag.schema';
import { shortId } from '../../../../core/text/humanize';
import type { Direction } from './elkOptions';
import type { LayoutLink } from './graphLayout';

/** A blob of the DAG drawn as itself: index, manifest, config or layer. */
export interface BlobCardData extends Record<string, unknown> {
  blob: DagNode;
  /** The images, other than the one in view, that hold this blob too; the card is marked shared when any do. */
  sharedWith: string[];
  direction: Direction;
  /** Overrides the kind as the card's title ("Layer 2"). */
  label?: string;
  /** For a manifest or index no other image holds: the image it is, by name (a digest says nothing to people). */
  imageNames?: string[];
}

/** One image of the store graph, its blobs that no other image holds folded into it. */
export interface ImageCardData extends Record<string, unknown> {
  root: DagNode;
  names: string[];
  privateBlobs: number;
  privateBytes: number;
  /** The digests folded into the card (its own blobs, the top included): what a transfer's progress is summed over. */
  folded: string[];
  direction: Direction;
  /** A card for many images on the same shared blobs (a big store's graph): how many, and their top digests; `root` is the first's. */
  group?: { count: number; roots: string[] };
}

export type GraphCard = { id: string; type: 'blob'; data: BlobCardData } | { id: string; type: 'image'; data: ImageCardData };

export interface GraphModel {
  cards: GraphCard[];
  links: LayoutLink[];
}

/** An image as the store graph knows it: its top digest (index.json entry) and its names. */
export interface StoreImage {
  root: string;
  names: string[];
}

export const imageCardId = (root: string) => `image:${root}`;

function childrenOf(dag: Dag): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const { from, to } of dag.edges) {
    const list = children.get(from);
    if (list) list.push(to);
    else children.set(from, [to]);
  }
  return children;
}

/** Every digest reachable from the roots, the roots included. */
function reachable(children: Map<string, string[]>, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  for (let digest = stack.pop(); digest !== undefined; digest = stack.pop()) {
    if (seen.has(digest)) continue;
    seen.add(digest);
    stack.push(...(children.get(digest) ?? []));
  }
  return seen;
}

/**
 * One image's DAG, from the store's: the store's answer says who else holds each blob (an
 * images.dag for one ref only knows that one image). "Others" are the names not on the image's
 * own top node.
 */
export function imageGraph(dag: Dag, root: string): GraphModel {
  const keep = reachable(childrenOf(dag), [root]);
  const own = new Set(dag.nodes.find((n) => n.digest === root)?.usedBy ?? []);
  const links = dag.edges.filter((e) => keep.has(e.from) && keep.has(e.to));
  const labels = layerLabels(dag, links);
  const cards: GraphCard[] = dag.nodes
    .filter((n) => keep.has(n.digest))
    .map((blob) => {
      const label = labels.get(blob.digest);
      return {
        id: blob.digest,
        type: 'blob',
        data: { blob, sharedWith: blob.usedBy.filter((name) => !own.has(name)), direction: 'DOWN', ...(label ? { label } : {}) },
      };
    });
  return { cards, links };
}

/** "Layer 1", "Layer 2", … in manifest order: the DAG lists a manifest's config edge first, then its layers in order. */
function layerLabels(dag: Dag, links: readonly LayoutLink[]): Map<string, string> {
  const kinds = new Map(dag.nodes.map((n) => [n.digest, n.kind]));
  const counts = new Map<string, number>();
  const labels = new Map<string, string>();
  for (const { from, to } of links) {
    if (kinds.get(to) !== 'layer') continue;
    const n = (counts.get(from) ?? 0) + 1;
    counts.set(from, n);
    if (!labels.has(to)) labels.set(to, `Layer ${n}`);
  }
  return labels;
}

/** Every blob of the given images, each once; a blob more than one image holds names them all. */
export function fullStoreGraph(dag: Dag, images: readonly StoreImage[]): GraphModel {
  const keep = reachable(
    childrenOf(dag),
    images.map((i) => i.root),
  );
  const cards: GraphCard[] = dag.nodes
    .filter((n) => keep.has(n.digest))
    .map((blob) => {
      const shared = blob.usedBy.length > 1;
      const names = (blob.kind === 'manifest' || blob.kind === 'index') && !shared && blob.usedBy.length > 0;
      return {
        id: blob.digest,
        type: 'blob',
        data: { blob, sharedWith: shared ? blob.usedBy : [], direction: 'RIGHT', ...(names ? { imageNames: blob.usedBy } : {}) },
      };
    });
  return { cards, links: dag.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}

/**
 * The store with each image's own blobs folded into one card, and every blob two or more images
 * hold kept as a node of its own: what is shared (dedupe) is exactly what stays drawn. Hundreds of
 * images then lay out as fast as a few.
 */
export function condensedStoreGraph(dag: Dag, images: readonly StoreImage[]): GraphModel {
  const children = childrenOf(dag);
  const byDigest = new Map(dag.nodes.map((n) => [n.digest, n]));
  const isShared = (n: DagNode) => n.usedBy.length > 1;
  const cards: GraphCard[] = [];
  const links: LayoutLink[] = [];
  const sharedShown = new Set<string>();

  for (const image of images) {
    const root = byDigest.get(image.root);
    if (!root) continue;
    const id = imageCardId(image.root);
    let privateBlobs = 0;
    let privateBytes = 0;
    const folded: string[] = [];
    const seen = new Set<string>();
    const stack = [image.root];
    for (let digest = stack.pop(); digest !== undefined; digest = stack.pop()) {
      const node = byDigest.get(digest);
      if (!node || seen.has(digest)) continue;
      seen.add(digest);
      if (isShared(node)) {
        // The shared blobs an image reaches directly; below a shared blob everything is shared too.
        links.push({ from: id, to: digest });
        for (const d of reachable(children, [digest])) sharedShown.add(d);
        continue;
      }
      privateBlobs++;
      privateBytes += node.size;
      folded.push(digest);
      stack.push(...(children.get(digest) ?? []));
    }
    const names = image.names.length > 0 ? image.names : [shortId(image.root)];
    cards.push({ id, type: 'image', data: { root, names, privateBlobs, privateBytes, folded, direction: 'RIGHT' } });
  }
  for (const node of dag.nodes) {
    if (!sharedShown.has(node.digest)) continue;
    cards.push({ id: node.digest, type: 'blob', data: { blob: node, sharedWith: node.usedBy, direction: 'RIGHT' } });
  }
  for (const e of dag.edges) if (sharedShown.has(e.from) && sharedShown.has(e.to)) links.push(e);
  return { cards, links };
}
