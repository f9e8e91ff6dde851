import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TransferStatus } from '../api/events.schema.js';
import { Transfers } from './transfers.js';

describe('transfers', () => {
  it('a cancel that arrives before its transfer starts ends that transfer cancelled, without running it', async () => {
    const ended: TransferStatus[] = [];
    const transfers = new Transfers(
      () => undefined,
      (status) => ended.push(status),
    );
    assert.equal(transfers.cancel('early'), true);
    let ran = false;
    await assert.rejects(
      transfers.run('pull', 'r.example/app:1', 'early', async () => {
        ran = true;
        return { digest: 'sha256:x' };
      }),
      { code: 'CANCELLED', message: 'pull of r.example/app:1 cancelled' },
    );
    assert.equal(ran, false);
    assert.deepEqual(
      ended.map((s) => [s.transferId, s.state]),
      [['early', 'cancelled']],
    );
    // Remembered once: the same id may run later, and a finished transfer cannot be cancelled.
    await transfers.run('pull', 'r.example/app:1', 'early', async () => ({ digest: 'sha256:y' }));
    assert.equal(transfers.cancel('early'), false);
  });

  it('cancels a running transfer through its signal', async () => {
    const transfers = new Transfers(
      () => undefined,
      () => undefined,
    );
    const running = transfers.run('push', 'r.example/app:1', 'now', (t) => {
      return new Promise<{ digest: string }>((_, reject) =>
        t.signal.addEventListener('abort', () => reject(new Error('stopped'))),
      );
    });
    assert.equal(transfers.cancel('now'), true);
    await assert.rejects(running, /stopped/);
    assert.equal(transfers.list()[0]?.state, 'cancelled');
  });
});
