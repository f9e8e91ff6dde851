import type { Dag, DagEdge, DagNode } from '../api/dag.schema.js';
import { displayName } from '../images/imageName.js';
import type { ImageRecord } from '../images/imageRecords.js';
import { formatPlatform } from '../oci/platform.js';
import type { Store } from '../store/store.js';
import { walkDag } from '../store/walk.js';

/**
 * The Merkle DAG of some images: every blob once, with an edge for each "this document names
 * that digest". A blob reached from several images is one node whose usedBy lists them all,
 * which is what dedupe looks like.
 */
export function buildDag(store: Store, images: ImageRecord[]): Dag {
  const nodes = new Map<string, DagNode>();
  const edges = new Map<string, DagEdge>();
  const roots: string[] = [];
  for (const image of images) {
    const name = displayName(image);
    roots.push(image.top.digest);
    for (const { descriptor, kind, parent, present } of walkDag(store, image.top)) {
      let node = nodes.get(descriptor.digest);
      if (!node) {
        node = {
          digest: descriptor.digest,
          kind,
          mediaType: descriptor.mediaType,
          size: descriptor.size,
          present,
          ...(descriptor.platform ? { platform: formatPlatform(descriptor.platform) } : {}),
          usedBy: [],
        };
        nodes.set(descriptor.digest, node);
      }
      if (!node.usedBy.includes(name)) node.usedBy.push(name);
      if (parent) edges.set(`${parent}>${descriptor.digest}`, { from: parent, to: descriptor.digest });
    }
  }
  return { roots: [...new Set(roots)], nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** The part of a DAG reachable from one root, nodes keeping what they know of other images. */
export function onlyFrom(dag: Dag, root: string): Dag {
  const children = new Map<string, string[]>();
  for (const e of dag.edges) children.set(e.from, [...(children.get(e.from) ?? []), e.to]);
  const reached = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const digest = stack.pop()!;
    if (reached.has(digest)) continue;
    reached.add(digest);
    stack.push(...(children.get(digest) ?? []));
  }
  return {
    roots: [root],
    nodes: dag.nodes.filter((n) => reached.has(n.digest)),
    edges: dag.edges.filter((e) => reached.has(e.from) && reached.has(e.to)),
  };
}

/** Graphviz text, for `stevedore dag --dot`. */
export function dagToDot(dag: Dag): string {
  const lines = ['digraph image {', '  rankdir=TB;', '  node [shape=box, fontname="monospace"];'];
  for (const n of dag.nodes) {
    const label = `${n.kind}\\n${n.digest.slice(7, 19)}\\n${n.size} B${n.platform ? `\\n${n.platform}` : ''}`;
    const style = n.usedBy.length > 1 ? ', style=filled, fillcolor="#dbeafe"' : n.present ? '' : ', style=dashed';
    lines.push(`  "${n.digest}" [label="${label}"${style}];`);
  }
  for (const e of dag.edges) lines.push(`  "${e.from}" -> "${e.to}";`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
