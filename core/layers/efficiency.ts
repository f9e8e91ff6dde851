import type { Efficiency } from '../api/layers.schema.js';
import { byCodeUnits } from '../text/codeUnitOrder.js';
import { type Stack, subtreeSize } from './fileTreeDiff.js';
import type { LayerIndex } from './layerIndex.js';

interface PathUse {
  count: number;
  cumulative: number;
  min: number;
}

/** The leaves of one layer's own tree: entries with no other entry of the same layer below them. */
function leaves(layer: LayerIndex): { path: string; size: number | 'whiteout' }[] {
  const all = [
    ...layer.files.map((f) => ({ path: f.path, size: f.size as number | 'whiteout' })),
    ...layer.whiteouts.map((path) => ({ path, size: 'whiteout' as const })),
  ];
  const parents = new Set<string>();
  for (const { path } of all) {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) parents.add(path.slice(0, slash));
  }
  const last = new Map<string, number | 'whiteout'>();
  for (const e of all) if (!parents.has(e.path)) last.set(e.path, e.size);
  return [...last.entries()].map(([path, size]) => ({ path, size }));
}

/**
 * dive's efficiency (filetree/efficiency.go): every leaf of every layer adds its size to its path
 * (a deleted file adds 0, a deleted directory the size of what it held). Score = the sum over
 * paths of the smallest size seen / the sum of all sizes seen; the waste is every size of every
 * path seen more than once.
 */
export function computeEfficiency(layers: LayerIndex[], stacksBefore: Stack[]): Efficiency {
  const uses = new Map<string, PathUse>();
  layers.forEach((layer, i) => {
    for (const { path, size } of leaves(layer)) {
      const bytes =
        size === 'whiteout' ? (stacksBefore[i]?.get(path)?.type === 'dir' ? subtreeSize(stacksBefore[i]!, path) : 0) : size;
      const use = uses.get(path) ?? { count: 0, cumulative: 0, min: -1 };
      use.count++;
      use.cumulative += bytes;
      use.min = use.min < 0 ? bytes : Math.min(use.min, bytes);
      uses.set(path, use);
    }
  });
  let minimum = 0;
  let discovered = 0;
  const wasted: Efficiency['wasted'] = [];
  for (const [path, use] of uses) {
    minimum += use.min;
    discovered += use.cumulative;
    if (use.count > 1) wasted.push({ path, count: use.count, totalSize: use.cumulative });
  }
  wasted.sort((a, b) => b.totalSize - a.totalSize || byCodeUnits(a.path, b.path));
  const userSizeBytes = layers.slice(1).reduce((s, l) => s + l.files.reduce((t, f) => t + f.size, 0), 0);
  return {
    score: discovered === 0 ? 1 : minimum / discovered,
    wastedBytes: wasted.reduce((s, w) => s + w.totalSize, 0),
    userSizeBytes,
    wasted: wasted.filter((w) => w.totalSize > 0),
  };
}
