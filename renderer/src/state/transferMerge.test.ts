import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TransferProgress, TransferStatus } from '../../../core/api/events.schema';
import { applyEnded, applyProgress, applySummaries, begin, movedBytes, newEntry } from './transferMerge';

const ID = 't1';
const progress = (digest: string, state: TransferProgress['state'], bytesDone: number, extra: Partial<TransferProgress> = {}) =>
  ({
    transferId: ID,
    operation: 'pull',
    subject: 'registry.example/app:1',
    digest,
    kind: 'layer',
    state,
    bytesDone,
    bytesTotal: 100,
    ...extra,
  }) satisfies TransferProgress;

const status = (state: TransferStatus['state']): TransferStatus => ({
  transferId: ID,
  operation: 'pull',
  subject: 'registry.example/app:1',
  state,
  startedAt: '2024-01-01T00:00:00.000Z',
  endedAt: state === 'running' ? null : '2024-01-01T00:00:03.000Z',
  error: state === 'failed' ? 'no tag 1 in registry.example/app' : null,
  digest: state === 'done' ? 'sha256:abc' : null,
});

describe('transferMerge', () => {
  it('shows a transfer this window started before any event, and keeps the blobs in first-report order', () => {
    let list = begin([], newEntry(ID, 'pull', 'app:1', '2024-01-01T00:00:00.000Z'));
    assert.equal(list[0]?.state, 'running');
    list = applyProgress(list, [progress('b', 'queued', 0), progress('a', 'queued', 0), progress('b', 'transferring', 40)], 1000);
    assert.deepEqual(
      list[0]?.blobs.map((b) => [b.digest, b.state, b.bytesDone]),
      [
        ['b', 'transferring', 40],
        ['a', 'queued', 0],
      ],
    );
    // The engine's normalized name replaces what was typed.
    assert.equal(list[0]?.subject, 'registry.example/app:1');
  });

  it('never moves a blob back: a late report of fewer bytes or an earlier state is ignored', () => {
    let list = applyProgress([], [progress('a', 'transferring', 60)], 1000);
    list = applyProgress(list, [progress('a', 'transferring', 30), progress('a', 'queued', 0)], 1100);
    assert.equal(list[0]?.blobs[0]?.bytesDone, 60);
    list = applyProgress(list, [progress('a', 'verifying', 100)], 1200);
    list = applyProgress(list, [progress('a', 'transferring', 90)], 1300);
    assert.equal(list[0]?.blobs[0]?.state, 'verifying');
  });

  it('keeps how far a blob got when it fails (the failure reports no bytes)', () => {
    let list = applyProgress([], [progress('a', 'transferring', 45)], 1000);
    list = applyProgress(list, [progress('a', 'failed', 0, { error: 'cancelled' })], 1100);
    assert.deepEqual([list[0]?.blobs[0]?.state, list[0]?.blobs[0]?.bytesDone], ['failed', 45]);
  });

  it('counts as moved only what crossed the wire, and samples it for the speed', () => {
    const list = applyProgress(
      [],
      [progress('a', 'exists', 100), progress('b', 'mounted', 100), progress('c', 'transferring', 30)],
      5000,
    );
    assert.equal(movedBytes(list[0]?.blobs ?? []), 30);
    assert.deepEqual(list[0]?.samples, [{ at: 5000, bytes: 30 }]);
    const later = applyProgress(list, [progress('c', 'transferring', 80)], 20_000);
    // One sample older than the window is kept, so the slope spans the whole window.
    assert.deepEqual(later[0]?.samples, [
      { at: 5000, bytes: 30 },
      { at: 20_000, bytes: 80 },
    ]);
  });

  it('takes how a transfer ended from transfer.ended', () => {
    const list = applyEnded(applyProgress([], [progress('a', 'transferring', 10)], 1000), status('failed'));
    assert.equal(list[0]?.state, 'failed');
    assert.equal(list[0]?.error, 'no tag 1 in registry.example/app');
    assert.equal(list[0]?.blobs.length, 1);
  });

  it('merges transfers.list: a finished one stays finished, blobs take the further report', () => {
    const ended = applyEnded(applyProgress([], [progress('a', 'done', 100)], 1000), status('done'));
    // A list answered before the end arrived must not bring the transfer back to life.
    const stale = applySummaries(ended, [{ ...status('running'), blobs: [progress('a', 'transferring', 50)] }], 2000);
    assert.equal(stale[0]?.state, 'done');
    assert.equal(stale[0]?.blobs[0]?.state, 'done');

    // After a reload: the list is all there is.
    const fresh = applySummaries([], [{ ...status('running'), blobs: [progress('a', 'transferring', 50)] }], 2000);
    assert.equal(fresh[0]?.state, 'running');
    assert.equal(fresh[0]?.startedAt, '2024-01-01T00:00:00.000Z');
    assert.deepEqual(fresh[0]?.samples, [{ at: 2000, bytes: 50 }]);
  });

  it('lists the newest first', () => {
    let list = begin([], newEntry('old', 'pull', 'a', '2024-01-01T00:00:00.000Z'));
    list = begin(list, newEntry('new', 'push', 'b', '2024-01-02T00:00:00.000Z'));
    assert.deepEqual(
      list.map((t) => t.transferId),
      ['new', 'old'],
    );
  });
});
