import type { FileChange, FileInfo, LayerDiff } from '../api/layers.schema.js';
import type { LayerIndex } from './layerIndex.js';

/** The filesystem after some layers: path -> what is there. */
export type Stack = Map<string, FileInfo>;

const under = (dir: string, path: string) => dir === '' || path.startsWith(`${dir}/`);

/** dive's equality: type, content, mode, owner (and the link target). Times never count. */
export function sameFile(a: FileInfo, b: FileInfo): boolean {
  return (
    a.type === b.type && a.hash === b.hash && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.linkname === b.linkname
  );
}

function subtree(stack: Stack, path: string): FileInfo[] {
  return [...stack.values()].filter((f) => f.path === path || under(path, f.path));
}

export function subtreeSize(stack: Stack, path: string): number {
  return subtree(stack, path).reduce((s, f) => s + f.size, 0);
}

/**
 * One layer against the stack below it: what it adds, modifies and removes. Removals come from
 * whiteouts, opaque markers (lower entries the layer does not put back) and type changes that
 * replace a directory. Returns the changes and the stack after the layer.
 */
export function diffLayer(lower: Stack, layer: LayerIndex): { changes: FileChange[]; upper: Stack } {
  const upper: Stack = new Map(lower);
  const changes = new Map<string, FileChange>();
  const own = new Set(layer.files.map((f) => f.path));
  const removeTree = (path: string) => {
    for (const f of subtree(upper, path)) {
      upper.delete(f.path);
      if (!own.has(f.path) && lower.has(f.path)) changes.set(f.path, { ...lower.get(f.path)!, change: 'removed' });
    }
  };
  for (const dir of layer.opaques) {
    for (const f of [...upper.values()]) if (under(dir, f.path) && !own.has(f.path)) removeTree(f.path);
  }
  for (const target of layer.whiteouts) removeTree(target);
  for (const file of layer.files) {
    const below = upper.get(file.path);
    if (below?.type === 'dir' && file.type !== 'dir') {
      for (const f of subtree(upper, file.path)) if (f.path !== file.path) removeTree(f.path);
    }
    upper.set(file.path, file);
    const before = lower.get(file.path);
    const change = !before ? 'added' : sameFile(before, file) ? 'unmodified' : 'modified';
    changes.set(file.path, { ...file, change });
  }
  return { changes: [...changes.values()].sort((a, b) => a.path.localeCompare(b.path)), upper };
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
  return entries.sort((a, b) => a.path.localeCompare(b.path));
}
