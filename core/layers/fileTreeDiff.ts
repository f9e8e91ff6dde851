import type { FileChange, FileInfo, LayerDiff } from '../api/layers.schema.js';
import { byCodeUnits } from '../text/codeUnitOrder.js';
import type { LayerIndex } from './layerIndex.js';
import { PathTree } from './pathTree.js';

/** The filesystem after some layers: path -> what is there. */
export type Stack = Map<string, FileInfo>;

/** dive's equality: type, content, mode, owner (and the link target). Times never count. */
export function sameFile(a: FileInfo, b: FileInfo): boolean {
  return (
    a.type === b.type && a.hash === b.hash && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.linkname === b.linkname
  );
}

/** The order paths are listed in. */
const pathOrder = (a: { path: string }, b: { path: string }) => byCodeUnits(a.path, b.path);

/** Each stack's tree of paths, made the first time a subtree of it is asked for (stacks are not changed once made). */
const trees = new WeakMap<Stack, PathTree>();

function treeOf(stack: Stack): PathTree {
  let tree = trees.get(stack);
  if (!tree) {
    tree = new PathTree(stack.keys());
    trees.set(stack, tree);
  }
  return tree;
}

/** The bytes of everything at and below a path: what a whiteout of that directory takes away. */
export function subtreeSize(stack: Stack, path: string): number {
  let size = 0;
  for (const p of treeOf(stack).subtree(path)) size += stack.get(p)?.size ?? 0;
  return size;
}

/**
 * One layer against the stack below it: what it adds, modifies and removes. Removals come from
 * whiteouts, opaque markers (lower entries the layer does not put back) and type changes that
 * replace a directory. Returns the changes and the stack after the layer.
 */
export function diffLayer(lower: Stack, layer: LayerIndex): { changes: FileChange[]; upper: Stack } {
  const upper: Stack = new Map(lower);
  // Made only when the layer takes something away: most layers only add.
  let tree: PathTree | undefined;
  const changes = new Map<string, FileChange>();
  const own = new Set(layer.files.map((f) => f.path));
  /** Takes a path and what is below it out of the stack (`keep`: the path itself stays); what the layer does not put back is removed. */
  const removeTree = (path: string, keep = false) => {
    tree ??= new PathTree(upper.keys());
    for (const p of tree.subtree(path)) {
      if ((keep && p === path) || !upper.delete(p)) continue;
      const before = lower.get(p);
      if (!own.has(p) && before) changes.set(p, { ...before, change: 'removed' });
    }
  };
  // An opaque directory hides everything of the layers below in it; the layer's own files come back after.
  for (const dir of layer.opaques) removeTree(dir, true);
  for (const target of layer.whiteouts) removeTree(target);
  for (const file of layer.files) {
    const below = upper.get(file.path);
    if (below?.type === 'dir' && file.type !== 'dir') removeTree(file.path, true);
    upper.set(file.path, file);
    tree?.add(file.path);
    const before = lower.get(file.path);
    const change = !before ? 'added' : sameFile(before, file) ? 'unmodified' : 'modified';
    changes.set(file.path, { ...file, change });
  }
  if (tree) trees.set(upper, tree);
  return { changes: [...changes.values()].sort(pathOrder), upper };
}

export function summarizeChanges(
  changes: FileChange[],
): Pick<LayerDiff, 'added' | 'modified' | 'removed' | 'addedBytes' | 'modifiedBytes' | 'removedBytes'> {
  const count = (kind: FileChange['change']) => changes.filter((c) => c.change === kind);
  const bytes = (list: FileChange[]) => list.reduce((s, c) => s + c.size, 0);
  const [added, modified, removed] = [count('added'), count('modified'), count('removed')];
  return {
    added: added.length,
    modified: modified.length,
    removed: removed.length,
    addedBytes: bytes(added),
    modifiedBytes: bytes(modified),
    removedBytes: bytes(removed),
  };
}

/** Everything in a stack, marked with how the given layer changed it (for "everything up to this layer"). */
export function aggregateView(stack: Stack, layerChanges: FileChange[]): FileChange[] {
  const byPath = new Map(layerChanges.map((c) => [c.path, c.change]));
  const entries: FileChange[] = [...stack.values()].map((f) => ({ ...f, change: byPath.get(f.path) ?? 'unmodified' }));
  for (const c of layerChanges) if (c.change === 'removed') entries.push(c);
  return entries.sort(pathOrder);
}
