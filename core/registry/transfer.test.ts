import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TransferProgress, TransferStatus } from '../../core/api/events.schema.js';
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
import { listCatalog } from './catalog.js';
import { listTags } from './tags.js';

const work = tempDir('stevedore-registry-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

function blobFiles(root: string): string[] {
  const dir = join(root, 'oci', 'blobs', 'sha256');
  return existsSync(dir) ? readdirSync(dir) : [];
}

function tempFiles(root: string): string[] {
  const dir = join(root, 'tmp', 'ingest');
  return existsSync(dir) ? readdirSync(dir) : [];
}

function engineAt(name: string): { engine: Engine; root: string; events: TransferProgress[]; ended: TransferStatus[] } {
  const root = join(work, name);
  const engine = new Engine(root);
  const events: TransferProgress[] = [];
  const ended: TransferStatus[] = [];
  engine.on('transfer.progress', (e) => events.push(e));
  engine.on('transfer.ended', (e) => ended.push(e));
  return { engine, root, events, ended };
}

describe('pull and push against a real registry (distribution 2.8)', () => {
  let reg: ProxiedRegistry;
  let imageA: WrittenImage;
  let imageB: WrittenImage;
  let source: ReturnType<typeof engineAt>;
  const layout = join(work, 'layout');

  before(async () => {
    reg = await startProxiedRegistry();
    const [base, a, b, amd, arm, odd, big] = await randomLayers([
      1_500_000, 700_000, 400_000, 300_000, 300_000, 600_000, 34_000_000,
    ]);
    const ab = await layoutWithImages(layout, [
      { refName: 'a', layers: [base!, a!] },
      { refName: 'b', layers: [base!, b!] },
    ]);
    imageA = ab[0]!;
    imageB = ab[1]!;
    const [amdImage, armImage] = await layoutWithImages(layout, [
      { refName: 'amd64', layers: [amd!], architecture: 'amd64' },
      { refName: 'arm64', layers: [arm!], architecture: 'arm64' },
      { refName: 'odd', layers: [odd!] },
      { refName: 'big', layers: [big!] },
    ]);
    addIndex(layout, 'multi', [
      { image: amdImage!, platform: { os: 'linux', architecture: 'amd64' } },
      { image: armImage!, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ]);
    source = engineAt('source');
    await source.engine.loadImages(layout, 'localhost/app');
  });
  after(async () => {
    await reg?.stop();
  });

  it('pushes an image and pulls it back with the same digests; fsck is clean', async () => {
    const pushed = await source.engine.pushImage({ ref: 'localhost/app:a', target: `${reg.host}/team/app:a` });
    assert.equal(pushed.digest, imageA.manifestDigest);
    assert.deepEqual(pushed.blobs.map((b) => b.outcome).sort(), ['pushed', 'pushed', 'pushed']);
    const states = source.events.filter((e) => e.transferId === pushed.transferId).map((e) => e.state);
    for (const s of ['queued', 'transferring', 'done']) assert.ok(states.includes(s as TransferProgress['state']), s);
    assert.equal(source.ended.at(-1)?.state, 'done');

    const dest = engineAt('round-trip');
    const pulled = await dest.engine.pullImage({ ref: `${reg.host}/team/app:a` });
    assert.equal(pulled.digest, imageA.manifestDigest);
    assert.equal(pulled.reference, `${reg.host}/team/app:a`);
    const image = dest.engine.inspectImage(`${reg.host}/team/app:a`);
    assert.equal(image.id, imageA.configDigest);
    assert.deepEqual(
      image.layers.map((l) => l.digest),
      imageA.layerDigests,
    );
    assert.deepEqual((await dest.engine.fsck()).problems, []);
    const pullStates = new Set(dest.events.map((e) => e.state));
    for (const s of ['queued', 'verifying', 'done']) assert.ok(pullStates.has(s as TransferProgress['state']), s);
    assert.deepEqual(
      (await dest.engine.registries()).listTransfers().map((t) => t.state),
      ['done'],
    );
  });

  it('a second push uploads no blob bytes: every blob exists (bytes counted at the proxy)', async () => {
    reg.proxy.reset();
    const again = await source.engine.pushImage({ ref: 'localhost/app:a', target: `${reg.host}/team/app:a` });
    assert.deepEqual(
      again.blobs.map((b) => b.outcome),
      ['exists', 'exists', 'exists'],
    );
    assert.ok(reg.proxy.bytesUp <= imageA.manifestSize, `only the manifest went up, not ${reg.proxy.bytesUp} bytes`);
    assert.ok(!reg.proxy.log.some((r) => r.path.includes('/blobs/uploads/')), 'no upload was started');
  });

  it('pushing B, which shares its base with A in another repository, mounts the shared blobs', async () => {
    reg.proxy.reset();
    const pushed = await source.engine.pushImage({ ref: 'localhost/app:b', target: `${reg.host}/other/b:1` });
    const base = pushed.blobs.find((b) => b.digest === imageB.layerDigests[0]);
    assert.equal(base?.outcome, 'mounted');
    assert.equal(base?.from, 'team/app');
    assert.equal(pushed.blobs.find((b) => b.digest === imageB.layerDigests[1])?.outcome, 'pushed');
    assert.ok(reg.proxy.bytesUp < 1_500_000, `the base layer was not uploaded again (${reg.proxy.bytesUp} bytes went up)`);
    assert.ok(source.events.some((e) => e.state === 'mounted' && e.digest === imageB.layerDigests[0]));
  });

  it('pulling an image the store already has downloads no blob again', async () => {
    const dest = engineAt('round-trip');
    reg.proxy.reset();
    await dest.engine.pullImage({ ref: `${reg.host}/team/app:a` });
    assert.ok(!reg.proxy.log.some((r) => r.path.includes('/blobs/')), 'no blob was fetched');
    assert.ok(
      dest.events
        .filter((e) => e.transferId !== dest.events[0]?.transferId)
        .every((e) => e.state === 'exists' || e.kind === 'manifest'),
    );
  });

  it('resumes a blob whose download is cut midway, with Range, without starting over', async () => {
    const layer = imageA.layerDigests[0]!;
    reg.proxy.reset();
    reg.proxy.addRule({ method: 'GET', path: new RegExp(`/blobs/${layer}$`), fault: { cutAfter: 500_000 } });
    const dest = engineAt('resume');
    await dest.engine.pullImage({ ref: `${reg.host}/team/app:a` });
    const gets = reg.proxy.log.filter((r) => r.path.endsWith(`/blobs/${layer}`));
    assert.equal(gets.length, 2, JSON.stringify(gets));
    assert.equal(gets[0]?.bytesDown, 500_000);
    assert.equal(gets[1]?.range, 'bytes=500000-');
    assert.equal(gets[1]?.status, 206);
    const size = readFileSync(join(layout, 'blobs', 'sha256', layer.slice(7))).length;
    assert.equal(gets[1]?.bytesDown, size - 500_000, 'the rest, not the whole blob again');
    assert.deepEqual((await dest.engine.fsck()).problems, []);
  });

  it('retries a blob the registry answers 503 for, three times', async () => {
    const layer = imageA.layerDigests[1]!;
    reg.proxy.reset();
    reg.proxy.addRule({ method: 'GET', path: new RegExp(`/blobs/${layer}$`), fault: { status: 503 }, times: 3 });
    const dest = engineAt('retry');
    await dest.engine.pullImage({ ref: `${reg.host}/team/app:a` });
    const gets = reg.proxy.log.filter((r) => r.path.endsWith(`/blobs/${layer}`));
    assert.deepEqual(
      gets.map((g) => g.status),
      [503, 503, 503, 200],
    );
    assert.equal(dest.engine.inspectImage(`${reg.host}/team/app:a`).id, imageA.configDigest);
  });

  it('honours Retry-After on 429, and fails with the wait when it is long', async () => {
    reg.proxy.reset();
    reg.proxy.addRule({ method: 'GET', path: /\/manifests\/a$/, fault: { status: 429, headers: { 'retry-after': '1' } } });
    const dest = engineAt('rate-limited');
    const started = Date.now();
    await dest.engine.pullImage({ ref: `${reg.host}/team/app:a` });
    assert.ok(Date.now() - started >= 1000, 'waited the second the registry asked for');

    reg.proxy.addRule({
      method: 'GET',
      path: /\/manifests\/a$/,
      fault: {
        status: 429,
        headers: { 'retry-after': '3600' },
        body: '{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}',
      },
    });
    await assert.rejects(dest.engine.pullImage({ ref: `${reg.host}/team/app:a` }), {
      code: 'TOO_MANY_REQUESTS',
      message: `${reg.host} is limiting requests (too many requests); try again in 3600 s`,
    });
  });

  it('refuses a blob whose bytes were changed in the registry: the error names it, nothing corrupt is stored', async () => {
    await source.engine.pushImage({ ref: 'localhost/app:odd', target: `${reg.host}/corrupt/odd:1` });
    const [odd] = await source.engine.inspectImage('localhost/app:odd').layers;
    const data = reg.registry.blobDataPath(odd!.digest);
    const bytes = readFileSync(data);
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    writeFileSync(data, bytes);
    const dest = engineAt('corrupt');
    await assert.rejects(dest.engine.pullImage({ ref: `${reg.host}/corrupt/odd:1` }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'DIGEST_MISMATCH');
      assert.match(err.message, new RegExp(odd!.digest));
      return true;
    });
    assert.deepEqual(blobFiles(dest.root), [], 'the pull left nothing behind');
    assert.deepEqual(tempFiles(dest.root), []);
    assert.deepEqual(dest.engine.listImages(), []);
    assert.deepEqual((await dest.engine.fsck()).problems, []);
    assert.equal(dest.ended.at(-1)?.state, 'failed');
  });

  it('cancel stops a pull midway and leaves no partial blob', async () => {
    const layer = imageB.layerDigests[0]!;
    reg.proxy.reset();
    reg.proxy.addRule({ method: 'GET', path: new RegExp(`/blobs/${layer}$`), fault: { stallAfter: 200_000 } });
    const dest = engineAt('cancel');
    const transferId = 'cancel-me';
    const pulling = dest.engine.pullImage({ ref: `${reg.host}/other/b:1`, transferId });
    await new Promise<void>((resolve) => {
      const off = dest.engine.on('transfer.progress', (e) => {
        if (e.digest === layer && e.state === 'transferring' && e.bytesDone > 0) {
          off();
          resolve();
        }
      });
    });
    assert.deepEqual((await dest.engine.registries()).cancelTransfer(transferId), { transferId, cancelled: true });
    await assert.rejects(pulling, { code: 'CANCELLED' });
    assert.deepEqual(blobFiles(dest.root), []);
    assert.deepEqual(tempFiles(dest.root), []);
    assert.equal(dest.ended.at(-1)?.state, 'cancelled');
    assert.equal((await dest.engine.registries()).listTransfers()[0]?.state, 'cancelled');
    assert.deepEqual((await dest.engine.registries()).cancelTransfer(transferId), { transferId, cancelled: false });
  });

  it('pushes a multi-platform index, then pulls one platform, or all of them', async () => {
    const pushed = await source.engine.pushImage({ ref: 'localhost/app:multi', target: `${reg.host}/multi/app:1` });
    const index = source.engine.inspectImage('localhost/app:multi');
    assert.equal(pushed.digest, index.digest);
    const one = engineAt('one-platform');
    const arm = await one.engine.pullImage({ ref: `${reg.host}/multi/app:1`, platform: 'linux/arm64' });
    assert.deepEqual(arm.platforms, ['linux/arm64/v8']);
    assert.equal(arm.digest, index.digest, 'the index is what the tag names');
    assert.equal(one.engine.listImages()[0]?.platform.architecture, 'arm64');
    assert.deepEqual((await one.engine.fsck()).problems, []);
    await assert.rejects(one.engine.pullImage({ ref: `${reg.host}/multi/app:1`, platform: 'linux/s390x' }), {
      code: 'IMAGE_NOT_FOUND',
      message: `${reg.host}/multi/app:1 has no image for linux/s390x (it has linux/amd64, linux/arm64/v8)`,
    });
    const all = engineAt('all-platforms');
    const both = await all.engine.pullImage({ ref: `${reg.host}/multi/app:1`, allPlatforms: true });
    assert.deepEqual(both.platforms, ['linux/amd64', 'linux/arm64/v8']);
    const detail = all.engine.inspectImage(`${reg.host}/multi/app:1`);
    assert.deepEqual(
      detail.platforms.map((p) => p.present),
      [true, true],
    );
  });

  it('pushes a large layer in chunks (PATCH) and pulls it back intact', async () => {
    reg.proxy.reset();
    const pushed = await source.engine.pushImage({ ref: 'localhost/app:big', target: `${reg.host}/big/app:1` });
    const patches = reg.proxy.log.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 2, 'a 34 MB layer goes up as two chunks');
    const dest = engineAt('big');
    await dest.engine.pullImage({ ref: `${reg.host}/big/app:1` });
    assert.equal(dest.engine.inspectImage(`${reg.host}/big/app:1`).digest, pushed.digest);
    assert.deepEqual((await dest.engine.fsck()).problems, []);
  });

  it('finishes a push whose uploads are cut midway: a PUT in a new session; PATCH chunks from the upload status, or anew when the registry lost the session', async () => {
    // A store that has not pushed before, so it knows no repository to mount from and uploads.
    const fresh = engineAt('fresh-pusher');
    await fresh.engine.loadImages(layout, 'localhost/app');
    reg.proxy.reset();
    const base = imageB.layerDigests[0]!;
    reg.proxy.addRule({
      method: 'PUT',
      path: new RegExp(`digest=sha256%3A${base.slice(7)}`),
      fault: { cutRequestAfter: 100_000 },
    });
    reg.proxy.addRule({ method: 'PATCH', path: /\/blobs\/uploads\//, fault: { cutRequestAfter: 10_000_000 } });
    const small = await fresh.engine.pushImage({ ref: 'localhost/app:b', target: `${reg.host}/cut/b:1` });
    assert.ok(small.blobs.every((b) => b.outcome === 'pushed'));
    const big = await fresh.engine.pushImage({ ref: 'localhost/app:big', target: `${reg.host}/cut/big:1` });
    assert.deepEqual(
      big.blobs.map((b) => b.outcome),
      ['pushed', 'pushed'],
    );
    const cut = reg.proxy.log.filter((r) => r.faulted);
    assert.deepEqual(
      cut.map((r) => [r.method, r.bytesUp]),
      [
        ['PUT', 100_000],
        ['PATCH', 10_000_000],
      ],
    );
    const dest = engineAt('after-cuts');
    await dest.engine.pullImage({ ref: `${reg.host}/cut/big:1` });
    await dest.engine.pullImage({ ref: `${reg.host}/cut/b:1` });
    assert.deepEqual((await dest.engine.fsck()).problems, []);
  });

  it('follows Link headers through the pages of the catalog and of tags', async () => {
    for (const tag of ['t1', 't2', 't3']) {
      await source.engine.pushImage({ ref: 'localhost/app:a', target: `${reg.host}/paged/app:${tag}` });
    }
    const client = (await source.engine.registries()).client(reg.host);
    const all = await listCatalog(client);
    assert.ok(all.includes('paged/app') && all.includes('team/app'));
    reg.proxy.reset();
    assert.deepEqual(await listCatalog(client, { pageSize: 2 }), all);
    const pages = reg.proxy.log.filter((r) => r.path.startsWith('/v2/_catalog'));
    assert.ok(pages.length >= Math.ceil(all.length / 2), `${pages.length} pages for ${all.length} repositories`);
    assert.match(pages[1]?.path ?? '', /last=/, 'the second page is the one the Link header named');
    const tags = await listTags(client, 'paged/app', { pageSize: 2 });
    assert.deepEqual([...tags].sort(), ['t1', 't2', 't3']);
  });

  it('says which tag is missing, and refuses to push to a digest', async () => {
    const dest = engineAt('errors');
    await assert.rejects(dest.engine.pullImage({ ref: `${reg.host}/team/app:nope` }), {
      code: 'IMAGE_NOT_FOUND',
      message: `no tag nope in ${reg.host}/team/app`,
    });
    await assert.rejects(
      source.engine.pushImage({ ref: 'localhost/app:a', target: `${reg.host}/team/app@${imageA.manifestDigest}` }),
      { code: 'INVALID_REFERENCE' },
    );
  });
});
