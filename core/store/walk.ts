import type { Digest } from '../digest/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import { parseDocument } from '../oci/document.js';
import { DagBounds } from './dagBounds.js';
import type { Store } from './store.js';

export type NodeKind = 'index' | 'manifest' | 'config' | 'layer';

export interface WalkedNode {
  descriptor: Descriptor;
  kind: NodeKind;
  parent: Digest | undefined;
  present: boolean;
}

/**
 * Walks an image's Merkle DAG top-down (index -> manifests -> config and layers), reporting each
 * edge once. Missing blobs are reported, not descended into; a document that is present but
 * unreadable throws, since nothing below it can be known. A document reached by several edges
 * is descended into once, and the walk is bounded (`DagBounds`): a hostile nest of indexes
 * throws a one-line error instead of spinning.
 */
export function* walkDag(store: Store, top: Descriptor, kindHint?: NodeKind): Generator<WalkedNode> {
  const bounds = new DagBounds(`image ${top.digest}`);
  const kinds = new Map<string, NodeKind>();
  const stack: { d: Descriptor; parent: Digest | undefined; kind: NodeKind | undefined; depth: number }[] = [
    { d: top, parent: undefined, kind: kindHint, depth: 0 },
  ];
  while (stack.length > 0) {
    const { d, parent, kind, depth } = stack.pop()!;
    const present = store.hasBlob(d.digest);
    if (kind === 'config' || kind === 'layer') {
      bounds.count();
      yield { descriptor: d, kind, parent, present };
      continue;
    }
    if (!bounds.enter(d.digest, depth)) {
      yield { descriptor: d, kind: kinds.get(d.digest) ?? 'manifest', parent, present };
      continue;
    }
    if (!present) {
      yield { descriptor: d, kind: kind ?? 'manifest', parent, present };
      continue;
    }
    const doc = parseDocument(store.readBlob(d.digest), d.mediaType, `manifest ${d.digest}`);
    kinds.set(d.digest, doc.kind);
    yield { descriptor: d, kind: doc.kind, parent, present };
    if (doc.kind === 'index') {
      for (const child of [...doc.index.manifests].reverse()) {
        stack.push({ d: child as Descriptor, parent: d.digest, kind: undefined, depth: depth + 1 });
      }
    } else {
      for (const layer of [...doc.manifest.layers].reverse()) {
        stack.push({ d: layer as Descriptor, parent: d.digest, kind: 'layer', depth: depth + 1 });
      }
      stack.push({ d: doc.manifest.config as Descriptor, parent: d.digest, kind: 'config', depth: depth + 1 });
    }
  }
}
