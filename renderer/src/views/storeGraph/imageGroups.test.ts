import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dag } from '../../../../core/api/dag.schema';
import { condensedStoreGraph } from '../../components/graph/graphModel';
import { groupImagesByBase } from './imageGroups';

const node = (digest: string, kind: 'manifest' | 'config' | 'layer', usedBy: string[], size = 10) => ({
  digest,
  kind,
  mediaType: `application/${kind}`,
  size,
  present: true,
  usedBy,
});

/** `count` images: even ones on base `b1`, odd ones on `b2`; image 0 also on `extra`; each with a config of its own. */
function store(count: number): { dag: Dag; images: { root: string; names: string[] }[] } {
  const names = (pick: (i: number) => boolean) =>
    Array.from({ length: count }, (_, i) => i)
      .filter(pick)
      .map((i) => `app:${i}`);
  const dag: Dag = {
    roots: [],
    nodes: [
      node(
        'b1',
        'layer',
        names((i) => i % 2 === 0),
      ),
      node(
        'b2',
        'layer',
        names((i) => i % 2 === 1),
      ),
      node('extra', 'layer', ['app:0', 'app:1']),
    ],
    edges: [],
  };
  for (let i = 0; i < count; i++) {
    dag.roots.push(`m${i}`);
    dag.nodes.push(node(`m${i}`, 'manifest', [`app:${i}`]), node(`c${i}`, 'config', [`app:${i}`], 5));
    dag.edges.push({ from: `m${i}`, to: `c${i}` }, { from: `m${i}`, to: i % 2 === 0 ? 'b1' : 'b2' });
    if (i < 2) dag.edges.push({ from: `m${i}`, to: 'extra' });
  }
  return { dag, images: dag.roots.map((root, i) => ({ root, names: [`app:${i}`] })) };
}

describe('groupImagesByBase', () => {
  it('leaves a store of up to the limit as one card per image', () => {
    const { dag, images } = store(10);
    const model = condensedStoreGraph(dag, images);
    assert.equal(groupImagesByBase(model, 10), model);
  });

  it('folds the images of a bigger store that stand on the same shared blobs into one card, linked once to each', () => {
    const { dag, images } = store(12);
    const grouped = groupImagesByBase(condensedStoreGraph(dag, images), 10);
    const cards = grouped.cards.filter((c) => c.type === 'image');
    // Images 0 and 1 stand on a base and `extra`: each alone on that pair, so each keeps its own card.
    assert.deepEqual(
      cards.map((c) => c.data.names.length).sort((a, b) => a - b),
      [1, 1, 5, 5],
    );
    const evens = cards.find((c) => c.data.names.includes('app:2'));
    assert.ok(evens?.type === 'image' && evens.data.group);
    assert.deepEqual(evens.data.names, ['app:2', 'app:4', 'app:6', 'app:8', 'app:10']);
    assert.equal(evens.data.group.count, 5);
    assert.deepEqual(evens.data.group.roots, ['m2', 'm4', 'm6', 'm8', 'm10']);
    // Each image's own manifest and config folded in: 2 blobs, 15 bytes each.
    assert.equal(evens.data.privateBlobs, 10);
    assert.equal(evens.data.privateBytes, 75);
    assert.equal(evens.data.folded.length, 10);
    assert.deepEqual(
      grouped.links.filter((l) => l.from === evens.id),
      [{ from: evens.id, to: 'b1' }],
    );
    // The shared blobs stay as they were.
    assert.deepEqual(
      grouped.cards.filter((c) => c.type === 'blob').map((c) => c.id),
      ['b1', 'b2', 'extra'],
    );
    assert.equal(grouped.links.length, 2 + 2 + 2);
  });
});
