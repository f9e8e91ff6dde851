import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TransferProgress } from '../../../../core/api/events.schema';
import { newEntry, type TransferEntry } from '../../state/transferMerge';
import { blobStateText, formatEta, transferSpeed, transferTotals } from './transferStats';

const blob = (kind: TransferProgress['kind'], state: TransferProgress['state'], bytesDone: number, bytesTotal: number | null) =>
  ({
    transferId: 't',
    operation: 'pull',
    subject: 's',
    digest: `sha256:${kind}${bytesDone}`,
    kind,
    state,
    bytesDone,
    bytesTotal,
  }) satisfies TransferProgress;

const entry = (blobs: TransferProgress[], change: Partial<TransferEntry> = {}): TransferEntry => ({
  ...newEntry('t', 'pull', 's', '2024-01-01T00:00:00.000Z'),
  blobs,
  ...change,
});

describe('transferStats', () => {
  it('has no total while only the manifest has reported, so the bar does not jump to 100%', () => {
    assert.equal(transferTotals(entry([blob('manifest', 'done', 500, 500)])).percent, null);
  });

  it('adds up every blob; ones already there count as done', () => {
    const totals = transferTotals(entry([blob('config', 'exists', 100, 100), blob('layer', 'transferring', 100, 300)]));
    assert.deepEqual(totals, { done: 200, total: 400, percent: 50 });
  });

  it('measures the speed over the window up to now, so a stall slows it down', () => {
    const e = entry([], {
      samples: [
        { at: 0, bytes: 0 },
        { at: 2000, bytes: 2_000_000 },
      ],
    });
    assert.equal(transferSpeed(e, 2000), 1_000_000);
    assert.equal(transferSpeed(e, 4000), 500_000);
    assert.equal(transferSpeed(entry([], { samples: [{ at: 0, bytes: 0 }] }), 100), null, 'too soon to tell');
  });

  it('tells the time left', () => {
    assert.equal(formatEta({ done: 0, total: 10_000_000, percent: 0 }, 1_000_000), '10 s left');
    assert.equal(formatEta({ done: 0, total: 125_000_000, percent: 0 }, 1_000_000), '2 min 5 s left');
    assert.equal(formatEta({ done: 0, total: null, percent: null }, 1_000_000), null);
  });

  it('names states the way docker does, by direction', () => {
    const push = entry([], { operation: 'push', mountedFrom: { 'sha256:layer0': 'team/app' } });
    assert.equal(blobStateText(blob('layer', 'transferring', 1, 2), push), 'Uploading');
    assert.equal(blobStateText(blob('layer', 'done', 2, 2), push), 'Pushed');
    assert.equal(blobStateText(blob('layer', 'mounted', 0, 2), push), 'Mounted from team/app');
    const pull = entry([]);
    assert.equal(blobStateText(blob('layer', 'transferring', 1, 2), pull), 'Downloading');
    assert.equal(blobStateText(blob('layer', 'queued', 0, 2), pull), 'Waiting');
    assert.equal(blobStateText(blob('layer', 'failed', 0, 2), entry([], { state: 'cancelled' })), 'Cancelled');
    const failedPull = entry([], { state: 'failed' });
    assert.equal(blobStateText(blob('layer', 'failed', 0, 2), failedPull), 'Failed');
    assert.equal(blobStateText({ ...blob('layer', 'failed', 0, 2), stopped: true }, failedPull), 'Stopped');
  });
});
