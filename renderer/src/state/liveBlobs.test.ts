import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TransferProgress } from '../../../core/api/events.schema';
import { aggregateLive, arrivingBlobs, liveBlobs, liveLabel } from './liveBlobs';
import { applyEnded, applyProgress, newEntry, type TransferEntry } from './transferMerge';

const M = 'sha256:m1';
const C = 'sha256:c1';
const L1 = 'sha256:l1';
const L2 = 'sha256:l2';

const event = (
  transferId: string,
  digest: string,
  state: TransferProgress['state'],
  bytesDone: number,
  extra: Partial<TransferProgress> = {},
): TransferProgress => ({
  transferId,
  operation: 'pull',
  subject: 'registry.example/app:1',
  digest,
  kind: 'layer',
  state,
  bytesDone,
  bytesTotal: 200,
  ...extra,
});

function transfer(id: string, events: TransferProgress[], startedAt = '2024-01-01T00:00:00.000Z'): TransferEntry[] {
  return applyProgress([newEntry(id, events[0]?.operation ?? 'pull', 'registry.example/app:1', startedAt)], events, 1000);
}

const ended = (entries: TransferEntry[], id: string, state: 'done' | 'failed' | 'cancelled', error: string | null = null) =>
  applyEnded(entries, {
    transferId: id,
    operation: 'pull',
    subject: 'registry.example/app:1',
    state,
    startedAt: '2024-01-01T00:00:00.000Z',
    endedAt: '2024-01-01T00:00:05.000Z',
    error,
    digest: null,
  });

describe('liveBlobs: transfer events to node states', () => {
  it('a running pull: waiting, moving with its percent, verifying, verified, already there', () => {
    const entries = transfer('p', [
      event('p', M, 'done', 500, { kind: 'manifest', bytesTotal: 500 }),
      event('p', C, 'exists', 200, { kind: 'config', parent: M }),
      event('p', L1, 'transferring', 50, { parent: M }),
      event('p', L2, 'queued', 0, { parent: M }),
    ]);
    const live = liveBlobs(entries, new Set());
    assert.deepEqual(
      [M, C, L1, L2].map((d) => [live.get(d)?.state, live.get(d)?.percent]),
      [
        ['verified', 100],
        ['exists', 100],
        ['moving', 25],
        ['waiting', 0],
      ],
    );
    assert.equal(liveLabel(live.get(L1)!), 'Downloading 25%');
    assert.equal(liveLabel(live.get(L2)!), 'Waiting');
    assert.equal(liveLabel(live.get(C)!), 'Already there');
    assert.equal(liveLabel(live.get(M)!), 'Verified');
    const verifying = liveBlobs(transfer('p', [event('p', L1, 'verifying', 200)]), new Set());
    assert.equal(liveLabel(verifying.get(L1)!), 'Verifying');
  });

  it('a push: uploading, and a mounted blob names the repository it came from once the push says so', () => {
    let entries = transfer('u', [
      event('u', L1, 'mounted', 200, { operation: 'push' }),
      event('u', L2, 'transferring', 100, { operation: 'push' }),
      event('u', M, 'queued', 0, { operation: 'push', kind: 'manifest' }),
    ]);
    let live = liveBlobs(entries, new Set());
    assert.equal(liveLabel(live.get(L2)!), 'Uploading 50%');
    assert.equal(liveLabel(live.get(L1)!), 'Mounted');
    assert.equal(live.get(M)?.state, 'waiting');
    entries = entries.map((e) => ({ ...e, mountedFrom: { [L1]: 'team/base' } }));
    live = liveBlobs(entries, new Set());
    assert.equal(liveLabel(live.get(L1)!), 'Mounted from team/base');
    // The event itself says where from, while the push still runs.
    const told = transfer('w', [event('w', L2, 'mounted', 200, { operation: 'push', mountedFrom: 'team/db' })]);
    assert.equal(liveLabel(liveBlobs(told, new Set()).get(L2)!), 'Mounted from team/db');
  });

  it('when a transfer ends its nodes return to normal, except the blobs that failed, which say why', () => {
    const running = transfer('p', [
      event('p', L1, 'done', 200),
      event('p', L2, 'failed', 0, { error: 'layer 2 of app:1 does not match its digest' }),
      event('p', C, 'failed', 0, { kind: 'config', error: 'stopped: another blob failed', stopped: true }),
    ]);
    const live = liveBlobs(ended(running, 'p', 'failed', 'layer 2 of app:1 does not match its digest'), new Set());
    assert.equal(live.get(L1), undefined, 'a verified blob is back to normal');
    assert.equal(live.get(C), undefined, 'a blob stopped by another one did not fail itself');
    assert.equal(live.get(L2)?.state, 'failed');
    assert.equal(live.get(L2)?.error, 'layer 2 of app:1 does not match its digest');
    assert.equal(liveLabel(live.get(L2)!), 'Failed');
    assert.equal(liveBlobs(ended(running, 'p', 'failed'), new Set(['p'])).size, 0, 'a cleared transfer marks nothing');
    assert.equal(liveBlobs(ended(running, 'p', 'done'), new Set()).size, 0);
    assert.equal(liveBlobs(ended(running, 'p', 'cancelled'), new Set()).size, 0, 'a cancel is no failure');
  });

  it('a running transfer wins over an older failure of the same blob; a blob labelled before its digest is known is left out', () => {
    const old = ended(transfer('a', [event('a', L1, 'failed', 0, { error: 'boom' })]), 'a', 'failed', 'boom');
    const now = transfer(
      'b',
      [event('b', L1, 'transferring', 20), event('b', '(computing)', 'transferring', 5)],
      '2024-01-01T00:01:00.000Z',
    );
    const live = liveBlobs([...now, ...old], new Set());
    assert.equal(live.get(L1)?.state, 'moving');
    assert.equal(live.get(L1)?.transferId, 'b');
    assert.equal(live.has('(computing)'), false);
  });

  it('an image card sums the blobs folded into it', () => {
    const live = liveBlobs(
      transfer('p', [
        event('p', M, 'done', 200, { kind: 'manifest' }),
        event('p', L1, 'transferring', 100),
        event('p', L2, 'queued', 0),
      ]),
      new Set(),
    );
    const sum = aggregateLive(live, [M, L1, L2, 'sha256:not-moving']);
    assert.deepEqual(sum, { state: 'moving', operation: 'pull', percent: 50, blobs: 3, finished: 1, error: undefined });
    assert.equal(aggregateLive(live, ['sha256:other']), undefined);
  });

  it('arrivingBlobs: the DAG of a running pull, from its events, top first', () => {
    const entries = transfer('p', [
      event('p', 'sha256:idx', 'done', 300, { kind: 'index', bytesTotal: 300 }),
      event('p', M, 'done', 500, { kind: 'manifest', bytesTotal: 500, parent: 'sha256:idx' }),
      event('p', C, 'queued', 0, { kind: 'config', parent: M }),
      event('p', L1, 'transferring', 10, { parent: M }),
      event('p', '(computing)', 'transferring', 5),
    ]);
    const arriving = arrivingBlobs(entries[0]!);
    assert.equal(arriving.top, 'sha256:idx');
    assert.deepEqual(
      arriving.blobs.map((b) => [b.digest, b.kind, b.size, b.parent]),
      [
        ['sha256:idx', 'index', 300, undefined],
        [M, 'manifest', 500, 'sha256:idx'],
        [C, 'config', 200, M],
        [L1, 'layer', 200, M],
      ],
    );
    assert.equal(
      arriving.key,
      'sha256:idx<|index;sha256:m1<sha256:idx|manifest;sha256:c1<sha256:m1|config;sha256:l1<sha256:m1|layer',
    );
  });
});
