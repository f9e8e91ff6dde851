import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { eventually } from '../../testkit/eventually.js';
import { tempDir } from '../../testkit/tempDir.js';
import type { TransferProgress } from '../api/events.schema.js';
import type { Digest } from '../digest/digest.js';
import { Store } from '../store/store.js';
import { ImportSession } from './importSession.js';

const work = tempDir('stevedore-stalled-progress-');

/**
 * Progress is sent at most every 100 ms; bytes that arrive just before a download stalls (a slow
 * registry, a held connection) must still be told, or the bar stays behind for as long as it stalls.
 */
test('the bytes in before a stall are reported, and nothing is reported after the blob is in', async () => {
  const store = Store.open(join(work, 'store'));
  const events: TransferProgress[] = [];
  const session = new ImportSession(store, 'app:1', (e) => events.push(e), 'pull');
  const body = Buffer.alloc(1_000_000, 7);
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}` as Digest;
  const source = new PassThrough();
  const ingested = session.ingest(source, { digest, size: body.length, what: 'a layer' }, 'layer');
  // Many small writes at once, then nothing: the last ones fall inside the throttle's interval.
  for (let at = 0; at < 600_000; at += 10_000) source.write(body.subarray(at, at + 10_000));
  await eventually(() => {
    const last = events.filter((e) => e.state === 'transferring').at(-1);
    assert.equal(last?.bytesDone, 600_000);
  });
  source.end(body.subarray(600_000));
  await ingested;
  assert.deepEqual(
    events.slice(-2).map((e) => e.state),
    ['verifying', 'done'],
  );
  await session.abort();
});
