import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TransferProgress } from '../../core/api/events.schema.js';
import type { WrittenImage } from '../../testkit/ociLayout.js';
import {
  addIndex,
  layoutWithImages,
  type ProxiedRegistry,
  randomLayers,
  startProxiedRegistry,
} from '../../testkit/registry/fixtures.js';
import { tempDir } from '../../testkit/tempDir.js';
import { Engine } from '../engine.js';

const work = tempDir('stevedore-transfer-parents-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

function engineAt(name: string): { engine: Engine; events: TransferProgress[] } {
  const engine = new Engine(join(work, name));
  const events: TransferProgress[] = [];
  engine.on('transfer.progress', (e) => events.push(e));
  return { engine, events };
}

/** Each digest's kind and parent as the events of one transfer told them (the last report wins). */
function shape(events: readonly TransferProgress[]): Map<string, { kind: string; parent: string | undefined }> {
  const out = new Map<string, { kind: string; parent: string | undefined }>();
  for (const e of events) out.set(e.digest, { kind: e.kind, parent: e.parent });
  return out;
}

/**
 * The events carry the DAG's edges (`parent`: the document that lists the blob) and call an index
 * an index, so that a face can draw an image while it arrives, before anything is in index.json.
 */
describe('transfer events name each blob’s parent', () => {
  let reg: ProxiedRegistry;
  let amd: WrittenImage;
  let arm: WrittenImage;
  let indexDigest: string;
  const source = engineAt('source');

  before(async () => {
    reg = await startProxiedRegistry();
    const layout = join(work, 'layout');
    const [a, b] = await randomLayers([200_000, 100_000]);
    [amd, arm] = (await layoutWithImages(layout, [
      { refName: 'amd64', layers: [a!], architecture: 'amd64' },
      { refName: 'arm64', layers: [b!], architecture: 'arm64' },
    ])) as [WrittenImage, WrittenImage];
    indexDigest = addIndex(layout, 'multi', [
      { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
      { image: arm, platform: { os: 'linux', architecture: 'arm64' } },
    ]);
    await source.engine.loadImages(layout, 'localhost/app');
  });
  after(async () => {
    await reg?.stop();
  });

  it('a push: config and layers name their manifest, manifests their index; every manifest waits from the start', async () => {
    source.events.length = 0;
    const pushed = await source.engine.pushImage({ ref: 'localhost/app:multi', target: `${reg.host}/tree/app:1` });
    const events = source.events.filter((e) => e.transferId === pushed.transferId);
    const got = shape(events);
    for (const image of [amd, arm]) {
      assert.deepEqual(got.get(image.manifestDigest), { kind: 'manifest', parent: indexDigest });
      assert.deepEqual(got.get(image.configDigest), { kind: 'config', parent: image.manifestDigest });
      assert.deepEqual(got.get(image.layerDigests[0]!), { kind: 'layer', parent: image.manifestDigest });
    }
    assert.deepEqual(got.get(indexDigest), { kind: 'index', parent: undefined });
    // Bottom-up: the manifests are known (waiting) before the first blob moves.
    const firstMove = events.findIndex((e) => e.state !== 'queued');
    const queued = new Set(events.slice(0, firstMove).map((e) => e.digest));
    assert.ok(queued.has(indexDigest) && queued.has(amd.manifestDigest), 'the manifests were queued first');
  });

  it('a mounted blob names the repository it was mounted from', async () => {
    source.events.length = 0;
    const pushed = await source.engine.pushImage({ ref: 'localhost/app:amd64', target: `${reg.host}/tree/other:1` });
    const layer = source.events.filter((e) => e.transferId === pushed.transferId && e.digest === amd.layerDigests[0]).at(-1);
    assert.equal(layer?.state, 'mounted');
    assert.equal(layer?.mountedFrom, 'tree/app');
  });

  it('a manifest the registry refuses is reported failed, with the registry’s words', async () => {
    source.events.length = 0;
    reg.proxy.addRule({
      method: 'PUT',
      path: /\/v2\/tree\/refused\/manifests\/1$/,
      fault: {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid' }] }),
      },
    });
    await assert.rejects(source.engine.pushImage({ ref: 'localhost/app:amd64', target: `${reg.host}/tree/refused:1` }));
    const manifest = source.events.filter((e) => e.digest === amd.manifestDigest).at(-1);
    assert.equal(manifest?.state, 'failed');
    assert.match(manifest?.error ?? '', /manifest invalid/i);
  });

  it('a pull of every platform: the index is an index, its manifests name it, their blobs name them', async () => {
    const dest = engineAt('dest');
    const pulled = await dest.engine.pullImage({ ref: `${reg.host}/tree/app:1`, allPlatforms: true });
    const got = shape(dest.events.filter((e) => e.transferId === pulled.transferId));
    assert.deepEqual(got.get(indexDigest), { kind: 'index', parent: undefined });
    for (const image of [amd, arm]) {
      assert.deepEqual(got.get(image.manifestDigest), { kind: 'manifest', parent: indexDigest });
      assert.deepEqual(got.get(image.configDigest), { kind: 'config', parent: image.manifestDigest });
      assert.deepEqual(got.get(image.layerDigests[0]!), { kind: 'layer', parent: image.manifestDigest });
    }
  });
});
