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
  /** Set by sortedChildren, once, before the siblings are sorted: every draft visited came from there. */
  isDir?: boolean;
}

const byDirThenName = (a: Draft, b: Draft) => {
  if (a.isDir !== b.isDir) return a.isDir ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
};

function isDirectory(d: Draft): boolean {
  return d.entry ? d.entry.type === 'dir' || d.children !== undefined : true;
}

/** A draft's children, directories first, then by name. */
function sortedChildren(draft: Draft): Draft[] {
  const children = Array.from(draft.children?.values() ?? []);
  for (const child of children) child.isDir = isDirectory(child);
  return children.sort(byDirThenName);
}

/** A draft's child of that name, made if missing (only the root's path is empty). */
function childOf(parent: Draft, name: string): Draft {
  parent.children ??= new Map();
  let child = parent.children.get(name);
  if (!child) {
    child = { name, path: parent.path === '' ? name : `${parent.path}/${name}` };
    parent.children.set(name, child);
  }
  return child;
}

/** The draft at `path` (made, with the directories above it, where missing). */
function draftAt(root: Draft, path: string): Draft {
  let node = root;
  for (let start = 0; start < path.length; ) {
    let end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    if (end > start) node = childOf(node, path.slice(start, end));
    start = end + 1;
  }
  return node;
}

/**
 * The tree, flattened depth-first (directories first, then by name), from the engine's flat list.
 * Built from the path components rather than from the list's order, which need not keep `a/…`
 * right after `a`. A list names the files of one directory one after another, mostly: the last
 * directory found is kept, so such a file is one lookup, not one per component of its path.
 */
export function buildFileTree(entries: readonly FileChange[]): TreeNode[] {
  const root: Draft = { name: '', path: '' };
  let lastDir = { path: '', draft: root };
  for (const entry of entries) {
    const slash = entry.path.lastIndexOf('/');
    const name = entry.path.slice(slash + 1);
    let node: Draft;
    if (name === '') {
      // `a/b/` names its directory.
      node = draftAt(root, entry.path);
    } else {
      const dirPath = slash === -1 ? '' : entry.path.slice(0, slash);
      if (dirPath !== lastDir.path) lastDir = { path: dirPath, draft: draftAt(root, dirPath) };
      node = childOf(lastDir.draft, name);
    }
    // A path removed and made again in one layer is listed twice; what is there now wins.
    if (node !== root && (!node.entry || node.entry.change === 'removed')) node.entry = entry;
  }

  const nodes: TreeNode[] = [];
  /** Adds the draft and its subtree; returns the bytes it holds. */
  const visit = (draft: Draft, depth: number, parent: number): number => {
    const index = nodes.length;
    const isDir = draft.isDir === true;
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
    if (draft.children) for (const child of sortedChildren(draft)) below += visit(child, depth + 1, index);
    node.end = nodes.length;
    node.size = isDir ? below : (draft.entry?.size ?? 0);
    return draft.entry?.change === 'removed' ? 0 : node.size;
  };
  for (const child of sortedChildren(root)) visit(child, 0, -1);
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
