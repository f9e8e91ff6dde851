import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileInfo } from '../api/layers.schema.js';
import { aggregateView, diffLayer, type Stack, subtreeSize } from './fileTreeDiff.js';
import type { LayerIndex } from './layerIndex.js';

const file = (path: string, size = 1, type: FileInfo['type'] = 'file'): FileInfo => ({
  path,
  type,
  size,
  mode: type === 'dir' ? 0o755 : 0o644,
  uid: 0,
  gid: 0,
  hash: type === 'file' ? `h-${path}-${size}` : undefined,
});
const dir = (path: string) => file(path, 0, 'dir');
const stackOf = (...files: FileInfo[]): Stack => new Map(files.map((f) => [f.path, f]));
const layer = (l: Partial<LayerIndex>): LayerIndex => ({ files: [], whiteouts: [], opaques: [], ...l });
const kinds = (changes: { path: string; change: string }[]) => changes.map((c) => `${c.change} ${c.path}`);

describe('diffLayer', () => {
  // A tar may name files whose directories it never lists: `a/b/c` alone.
  const lower = stackOf(dir('a'), file('a/b/c', 10), file('a/b/d', 20), file('ab', 5), file('keep', 1));

  it('removes a whited-out directory with all below it, even where the layer never listed a directory', () => {
    const { changes, upper } = diffLayer(lower, layer({ whiteouts: ['a'] }));
    assert.deepEqual(kinds(changes), ['removed a', 'removed a/b/c', 'removed a/b/d']);
    assert.deepEqual([...upper.keys()].sort(), ['ab', 'keep'], 'a sibling sharing the prefix (ab) stays');
  });

  it('hides what an opaque directory held below, except what the layer puts back', () => {
    const { changes, upper } = diffLayer(lower, layer({ opaques: ['a'], files: [file('a/b/c', 11)] }));
    assert.deepEqual(kinds(changes), ['modified a/b/c', 'removed a/b/d']);
    assert.deepEqual([...upper.keys()].sort(), ['a', 'a/b/c', 'ab', 'keep']);
  });

  it('replaces a directory by a file: what was below it goes', () => {
    const { changes, upper } = diffLayer(lower, layer({ files: [file('a', 3)] }));
    assert.deepEqual(kinds(changes), ['modified a', 'removed a/b/c', 'removed a/b/d']);
    assert.equal(upper.get('a')?.type, 'file');
    assert.equal(upper.has('a/b/c'), false);
  });

  it('sizes a removed subtree from the stack after layers that added and removed files in it', () => {
    const { upper: middle } = diffLayer(lower, layer({ files: [file('a/e', 7)], whiteouts: ['a/b/c'] }));
    assert.equal(subtreeSize(middle, 'a'), 27, 'a/b/d 20 + a/e 7');
    assert.equal(subtreeSize(middle, 'a/b'), 20);
    assert.equal(subtreeSize(lower, 'a'), 30, 'the stack below is as it was');
  });

  it('shows everything up to a layer, sorted by path, marked with what that layer did, its removals included', () => {
    const { changes, upper } = diffLayer(lower, layer({ files: [file('b', 2), file('keep', 9)], whiteouts: ['ab'] }));
    assert.deepEqual(kinds(aggregateView(upper, changes)), [
      'unmodified a',
      'unmodified a/b/c',
      'unmodified a/b/d',
      'removed ab',
      'added b',
      'modified keep',
    ]);
  });
});
