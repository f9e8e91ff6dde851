import type { Digest } from '../digest/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import { parseDocument } from '../oci/document.js';
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
 * unreadable throws, since nothing below it can be known.
 */
export function* walkDag(store: Store, top: Descriptor, kindHint?: NodeKind): Generator<WalkedNode> {
  const stack: { d: Descriptor; parent: Digest | undefined; kind: NodeKind | undefined }[] = [
    { d: top, parent: undefined, kind: kindHint },
  ];
  while (stack.length > 0) {
    const { d, parent, kind } = stack.pop()!;
    const present = store.hasBlob(d.digest);
    if (kind === 'config' || kind === 'layer') {
      yield { descriptor: d, kind, parent, present };
      continue;
    }
    if (!present) {
      yield { descriptor: d, kind: kind ?? 'manifest', parent, present };
      continue;
    }
    const doc = parseDocument(store.readBlob(d.digest), d.mediaType, `manifest ${d.digest}`);
    yield { descriptor: d, kind: doc.kind, parent, present };
    if (doc.kind === 'index') {
      for (const child of [...doc.index.manifests].reverse()) {
        stack.push({ d: child as Descriptor, parent: d.digest, kind: undefined });
      }
    } else {
      for (const layer of [...doc.manifest.layers].reverse()) {
        stack.push({ d: layer as Descriptor, parent: d.digest, kind: 'layer' });
      }
      stack.push({ d: doc.manifest.config as Descriptor, parent: d.digest, kind: 'config' });
    }
  }
}
