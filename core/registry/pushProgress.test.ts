import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { TransferProgress } from '../../core/api/events.schema.js';
import { eventually } from '../../testkit/eventually.js';
import { layoutWithImages, type ProxiedRegistry, randomLayers, startProxiedRegistry } from '../../testkit/registry/fixtures.js';
import { tempDir } from '../../testkit/tempDir.js';
import type { Digest } from '../digest/digest.js';
import { Engine } from '../engine.js';

const work = tempDir('stevedore-push-progress-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

let reg: ProxiedRegistry;
let layerDigest: string;
let layerSize: number;
const engine = new Engine(join(work, 'store'));

before(async () => {
  reg = await startProxiedRegistry();
  const layout = join(work, 'layout');
  const [layer] = await randomLayers([3_000_000]);
  const [image] = await layoutWithImages(layout, [{ refName: 'v1', layers: [layer!] }]);
  layerDigest = image!.layerDigests[0]!;
  await engine.loadImages(layout, 'localhost/app');
  layerSize = statSync(engine.store.blobPath(layerDigest as Digest)).size;
});
after(async () => {
  await reg?.stop();
});

/**
 * Progress is sent at most every 100 ms, as for a pull: the bytes that left just before an upload
 * stalls (the registry slow to take the end of the body, a held connection) must still be told, or
 * the bar stays behind for as long as it stalls.
 */
test('a push tells the bytes that left before its upload stalled', async () => {
  // The layer's upload leaves whole, but its last byte is held from the registry: no answer comes.
  reg.proxy.addRule({ method: 'PUT', path: /\/blobs\/uploads\//, fault: { holdLastRequestByte: true }, times: 100 });
  const events: TransferProgress[] = [];
  engine.on('transfer.progress', (e) => {
    if (e.digest === layerDigest) events.push(e);
  });
  const transferId = randomUUID();
  const pushing = engine.pushImage({ ref: 'localhost/app:v1', target: `${reg.host}/held/app:1`, transferId });
  pushing.catch(() => undefined);
  await eventually(() => {
    const last = events.filter((e) => e.state === 'transferring').at(-1);
    assert.equal(
      last?.bytesDone,
      layerSize,
      `the last report says every byte of the layer left (${JSON.stringify(events.map((e) => [e.state, e.bytesDone]))} ${reg.proxy.bytesUp})`,
    );
  });
  assert.ok(!events.some((e) => e.state === 'done'), 'the layer is not pushed yet');
  await engine.handlers()['transfers.cancel']({ transferId });
  await assert.rejects(pushing);
});
