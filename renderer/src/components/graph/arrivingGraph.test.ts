import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dag } from '../../../../core/api/dag.schema';
import { withArriving } from './arrivingGraph';
import { fullStoreGraph } from './graphModel';

const node = (digest: string, kind: 'manifest' | 'config' | 'layer', usedBy: string[]) => ({
  digest,
  kind,
  mediaType: `application/${kind}`,
  size: 10,
  present: true,
  usedBy,
});

const dag: Dag = {
  roots: ['m1'],
  nodes: [node('m1', 'manifest', ['a:1']), node('c1', 'config', ['a:1']), node('base', 'layer', ['a:1'])],
  edges: [
    { from: 'm1', to: 'c1' },
    { from: 'm1', to: 'base' },
  ],
};

describe('withArriving', () => {
  it('draws a pulled image from its events, on the stored blobs it shares, once each', () => {
    const model = fullStoreGraph(dag, [{ root: 'm1', names: ['a:1'] }]);
    const arriving = {
      top: 'm2',
      key: 'k',
      blobs: [
        { digest: 'm2', kind: 'manifest' as const, size: 400, parent: undefined },
        { digest: 'c2', kind: 'config' as const, size: 300, parent: 'm2' },
        { digest: 'base', kind: 'layer' as const, size: 10, parent: 'm2' },
        { digest: 'new', kind: 'layer' as const, size: 5000, parent: 'm2' },
      ],
    };
    const next = withArriving(model, [{ subject: 'reg/b:1', arriving }], dag, 'RIGHT');
    assert.deepEqual(
      next.cards.map((c) => c.id),
      ['m1', 'c1', 'base', 'm2', 'c2', 'new'],
    );
    assert.deepEqual(next.links.slice(2), [
      { from: 'm2', to: 'c2' },
      { from: 'm2', to: 'base' },
      { from: 'm2', to: 'new' },
    ]);
    const top = next.cards.find((c) => c.id === 'm2');
    assert.ok(top?.type === 'blob');
    assert.deepEqual(top.data.imageNames, ['reg/b:1']);
    assert.equal(top.data.blob.size, 400);
    assert.equal(withArriving(model, [], dag, 'RIGHT'), model, 'nothing arriving: the same model, no new layout');
  });
});
