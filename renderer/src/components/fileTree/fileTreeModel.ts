import { fileChangesOf } from '../../../../core/api/fileTable';
import type { FileChange, FileTable } from '../../../../core/api/layers.schema';

/**
 * One row of the explorer: a path the engine listed, or a directory implied by one (a layer, or
 * a comparison, names `etc/hosts` without `etc` when `etc` itself did not change).
 */
export interface TreeNode {
  name: string;
  path: string;
  depth: number;
  /** The parent's index in the node list; -1 at the top. */
  parent: number;
  /** One past the last descendant's index: the subtree is nodes[i .. end). */
  end: number;
  isDir: boolean;
  /** Undefined for an implied directory. */
  entry: FileChange | undefined;
  /** A file's size; for a directory, what is below it (removed paths count nothing). */
  size: number;
}

interface Draft {
  name: string;
  path: string;
  entry?: FileChange;
  children?: Map<string, Draft>;
}

const byDirThenName = (a: Draft, b: Draft) => {
  const aDir = isDirectory(a);
  if (aDir !== isDirectory(b)) return aDir ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
};

function isDirectory(d: Draft): boolean {
  return d.entry ? d.entry.type === 'dir' || d.children !== undefined : true;
}

/**
 * The tree, flattened depth-first (directories first, then by name), from the engine's flat list.
 * Built from the path components rather than from the list's order: the engine sorts by
 * localeCompare, which does not keep `a/…` right after `a` when `a-b` or `a.b` exist.
 */
export function buildFileTree(entries: readonly FileChange[]): TreeNode[] {
  const root: Draft = { name: '', path: '' };
  for (const entry of entries) {
    let node = root;
    for (const name of entry.path.split('/')) {
      if (!name) continue;
      node.children ??= new Map();
      let child = node.children.get(name);
      if (!child) {
        child = { name, path: node.path ? `${node.path}/${name}` : name };
        node.children.set(name, child);
      }
      node = child;
    }
    // A path removed and made again in one layer is listed twice; what is there now wins.
    if (node !== root && (!node.entry || node.entry.change === 'removed')) node.entry = entry;
  }

  const nodes: TreeNode[] = [];
  /** Adds the draft and its subtree; returns the bytes it holds. */
  const visit = (draft: Draft, depth: number, parent: number): number => {
    const index = nodes.length;
    const isDir = isDirectory(draft);
    const node: TreeNode = {
      name: draft.name,
      path: draft.path,
      depth,
      parent,
      end: index + 1,
      isDir,
      entry: draft.entry,
      size: 0,
    };
    nodes.push(node);
    let below = 0;
    if (draft.children)
      for (const child of [...draft.children.values()].sort(byDirThenName)) below += visit(child, depth + 1, index);
    node.end = nodes.length;
    node.size = isDir ? below : (draft.entry?.size ?? 0);
    return draft.entry?.change === 'removed' ? 0 : node.size;
  };
  if (root.children) for (const child of [...root.children.values()].sort(byDirThenName)) visit(child, 0, -1);
  return nodes;
}

/** Trees made from the engine's file tables, by table: a layer chosen again (its answer kept by React Query) is not built again. */
const tablesBuilt = new WeakMap<FileTable, TreeNode[]>();

/** The tree of a file table the engine sent (a layer's files). */
export function fileTreeOfTable(table: FileTable): TreeNode[] {
  let nodes = tablesBuilt.get(table);
  if (!nodes) {
    nodes = buildFileTree(fileChangesOf(table));
    tablesBuilt.set(table, nodes);
  }
  return nodes;
}

/**
 * Which nodes a path filter keeps: those whose path contains the text (case-insensitive), and
 * their ancestors so they can be reached. Null when there is no filter.
 */
export function filterTree(nodes: readonly TreeNode[], text: string): Uint8Array | null {
  const needle = text.trim().toLowerCase();
  if (!needle) return null;
  const keep = new Uint8Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    if (!nodes[i]!.path.toLowerCase().includes(needle)) continue;
    for (let j = i; j >= 0 && !keep[j]; j = nodes[j]!.parent) keep[j] = 1;
  }
  return keep;
}

/** The node indexes on screen: the kept ones, minus what collapsed directories hide. */
export function visibleNodes(nodes: readonly TreeNode[], collapsed: ReadonlySet<string>, keep: Uint8Array | null): number[] {
  const rows: number[] = [];
  for (let i = 0; i < nodes.length; ) {
    const node = nodes[i]!;
    // An ancestor of every kept node is kept, so a dropped node's whole subtree goes with it.
    if (keep && !keep[i]) {
      i = node.end;
      continue;
    }
    rows.push(i);
    i = node.isDir && collapsed.has(node.path) ? node.end : i + 1;
  }
  return rows;
}
