import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { tarDirectory } from '../../testkit/archives.js';
import { type CliResult, cliPath, stevedore } from '../../testkit/cli.js';
import { openEngineSocket, startDaemon } from '../../testkit/daemon.js';
import { makeLayer, randomLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { type RunningRegistry, startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';

// Issue 12, items 9, 10 and the archive parts of 12: truncated archives, index fan-out, nested
// indexes, and compressed layers whose diff IDs lie. Every hostile input is made here.

const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** Before the fixes these inputs hung: this bounds a test, it asserts nothing about time. */
const HANG_GUARD = { timeout: 120_000 };

const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface Blob {
  digest: string;
  size: number;
  bytes: Buffer;
}

function putBlob(dir: string, content: Buffer | string): Blob {
  const bytes = Buffer.from(content);
  const digest = sha256(bytes);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { digest, size: bytes.length, bytes };
}

function setIndex(dir: string, manifests: object[]): void {
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}

/** One small image (a manifest) in `dir`'s blobs, not named in index.json. */
async function plainManifest(dir: string): Promise<Blob> {
  const [image] = writeLayout(dir, [{ layers: [await makeLayer([{ path: 'hello', content: 'hi' }])] }]);
  return {
    digest: image!.manifestDigest,
    size: image!.manifestSize,
    bytes: readFileSync(join(dir, 'blobs', 'sha256', image!.manifestDigest.slice(7))),
  };
}

function indexOf(children: { mediaType: string; digest: string; size: number }[], platform?: object): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: INDEX,
    manifests: children.map((c) => ({ ...c, ...(platform ? { platform } : {}) })),
  });
}

/**
 * 31 index blobs, each listing the next one `fanOut` times, the last listing the image: walked
 * without a visited set that is fanOut^31 paths for 32 small documents.
 */
function fanOutIndexes(dir: string, leaf: Blob, fanOut = 3): Blob[] {
  const platform = { os: 'linux', architecture: 'amd64' };
  let child = { mediaType: MANIFEST, digest: leaf.digest, size: leaf.size };
  const made: Blob[] = [];
  for (let i = 0; i < 31; i++) {
    const blob = putBlob(dir, indexOf(Array(fanOut).fill(child), platform));
    made.unshift(blob);
    child = { mediaType: INDEX, digest: blob.digest, size: blob.size };
  }
  return made;
}

/** What must not move when an import fails: every blob and index.json. */
function storeTree(root: string) {
  return snapshotTree(join(root, 'oci'));
}

function references(root: string): string[] {
  const r = stevedore(root, ['images', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { reference: string }[]).map((i) => i.reference);
}

function oneLineError(r: CliResult, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected a failure, got exit 0: ${r.stdout}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line of error, got:\n${r.stderr}`);
  assert.match(lines[0]!, pattern);
}

/** The CLI, without blocking this process (the walk it runs could hang), killed when the file ends. */
const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
});
function cli(root: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const { STEVEDORE_ROOT: _ignored, ...env } = process.env;
    const child = spawn(process.execPath, [cliPath, '--root', root, ...args], { env: { ...env, STEVEDORE_NO_DAEMON: '1' } });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** A store holding one honest image already: what a failed import must leave exactly as it was. */
async function storeWithAnImage(work: string, name: string): Promise<string> {
  const root = join(work, name);
  const layout = join(work, `${name}-base`);
  writeLayout(layout, [{ refName: 'base', layers: [await makeLayer([{ path: 'etc/base', content: name }])] }]);
  const r = stevedore(root, ['load', '-i', layout, '--name', 'localhost/base']);
  assert.equal(r.code, 0, r.stderr);
  return root;
}

const BASE_ONLY = 'localhost/base:base';

describe('a truncated archive fails in one sentence and leaves the store as it was', () => {
  const work = tempDir('stevedore-sec-archive-');
  const archive = join(work, 'image.tar');
  let layerHex = '';

  before(async () => {
    const layout = join(work, 'layout');
    const [image] = writeLayout(layout, [{ refName: 'v1', layers: [await randomLayer(300_000)] }]);
    layerHex = image!.layerDigests[0]!.slice(7);
    await tarDirectory(layout, archive);
    // Cut in the middle of the big layer blob: tarDirectory writes the files in directory order.
    const full = statSync(archive).size;
    truncateSync(archive, full - 150_000);
  });

  it('stevedore load exits non-zero and names the entry the archive ends in', HANG_GUARD, async () => {
    const root = await storeWithAnImage(work, 'cli');
    const before = storeTree(root);
    const r = await cli(root, ['load', '-i', archive]);
    oneLineError(r, new RegExp(`image\\.tar is truncated: .*ends in the middle of blobs/sha256/${layerHex}`));
    assert.deepEqual(storeTree(root), before, 'nothing partial is kept');
    assert.deepEqual(references(root), [BASE_ONLY]);
  });

  it('a running engine answers the load with the same error and goes on', HANG_GUARD, async () => {
    const root = await storeWithAnImage(work, 'daemon');
    const before = storeTree(root);
    const daemon = await startDaemon(root);
    after(() => daemon.stop());
    const ws = await openEngineSocket(daemon.socketPath);
    after(() => ws.close());
    const invoke = (method: string, args: unknown) =>
      new Promise<{ ok: boolean; error?: { code: string; message: string } }>((resolve) => {
        const id = Math.floor(Math.random() * 1e9);
        ws.on('message', (data) => {
          const m = JSON.parse(String(data));
          if (m.kind === 'result' && m.id === id) resolve(m.response);
        });
        ws.send(JSON.stringify({ kind: 'invoke', id, method, args }));
      });
    const response = await invoke('images.load', { path: archive });
    assert.equal(response.ok, false);
    assert.equal(response.error?.code, 'INVALID_ARCHIVE');
    assert.match(response.error?.message ?? '', /is truncated: .*ends in the middle of blobs\/sha256\//);
    const listed = (await invoke('images.list', {})) as { ok: boolean; value?: { reference: string }[] };
    assert.deepEqual(
      listed.value?.map((i) => i.reference),
      [BASE_ONLY],
      'the engine still answers',
    );
    assert.deepEqual(storeTree(root), before);
  });
});

describe('index fan-out is bounded: load and pull fail clearly instead of spinning', () => {
  const work = tempDir('stevedore-sec-fanout-');
  const layout = join(work, 'layout');
  let registry: RunningRegistry;
  let indexes: Blob[] = [];
  let leaf: Blob;

  before(async () => {
    leaf = await plainManifest(layout);
    indexes = fanOutIndexes(layout, leaf);
    const top = indexes[0]!;
    setIndex(layout, [
      { mediaType: INDEX, digest: top.digest, size: top.size, annotations: { 'org.opencontainers.image.ref.name': 'fan' } },
    ]);
    registry = await startRegistry();
  });
  after(() => registry?.stop());

  it('load of a layout directory', HANG_GUARD, async () => {
    const root = await storeWithAnImage(work, 'load-dir');
    const before = storeTree(root);
    const r = await cli(root, ['load', '-i', layout]);
    oneLineError(r, /indexes nested more than 8 deep/);
    assert.deepEqual(storeTree(root), before);
  });

  it('load of the same as an archive', HANG_GUARD, async () => {
    const archive = join(work, 'fan.tar');
    await tarDirectory(layout, archive);
    const root = await storeWithAnImage(work, 'load-tar');
    const before = storeTree(root);
    const r = await cli(root, ['load', '-i', archive]);
    oneLineError(r, /indexes nested more than 8 deep/);
    assert.deepEqual(storeTree(root), before);
  });

  it('pull --all-platforms from a registry holding it', HANG_GUARD, async () => {
    // Pushed bottom-up by hand, as any client could: the blobs, then each document by digest.
    const repo = 'hostile/fan';
    const manifestDoc = JSON.parse(leaf.bytes.toString('utf8'));
    for (const d of [manifestDoc.config, ...manifestDoc.layers]) {
      await pushBlob(registry, repo, readFileSync(join(layout, 'blobs', 'sha256', d.digest.slice(7))));
    }
    await putManifest(registry, repo, leaf.digest, MANIFEST, leaf.bytes);
    for (const blob of [...indexes].reverse()) await putManifest(registry, repo, blob.digest, INDEX, blob.bytes);
    await putManifest(registry, repo, 'latest', INDEX, indexes[0]!.bytes);

    const root = await storeWithAnImage(work, 'pull');
    const before = storeTree(root);
    const r = await cli(root, ['pull', '--all-platforms', `${registry.host}/${repo}:latest`]);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /indexes nested more than 8 deep/);
    assert.deepEqual(storeTree(root), before);
  });
});

describe('an image whose index lists an index can be listed and removed', () => {
  const work = tempDir('stevedore-sec-nested-');

  it('images shows the tag, inspect resolves it, rmi removes it and its blobs', async () => {
    const layout = join(work, 'layout');
    const leaf = await plainManifest(layout);
    const inner = putBlob(
      layout,
      indexOf([{ mediaType: MANIFEST, digest: leaf.digest, size: leaf.size }], { os: 'linux', architecture: 'amd64' }),
    );
    const outer = putBlob(layout, indexOf([{ mediaType: INDEX, digest: inner.digest, size: inner.size }]));
    setIndex(layout, [
      {
        mediaType: INDEX,
        digest: outer.digest,
        size: outer.size,
        annotations: { 'org.opencontainers.image.ref.name': 'nested' },
      },
    ]);
    const root = await storeWithAnImage(work, 'store');
    const before = storeTree(root);
    const loaded = stevedore(root, ['load', '-i', layout, '--name', 'localhost/multi']);
    assert.equal(loaded.code, 0, loaded.stderr);

    const listed = stevedore(root, ['images', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const rows = JSON.parse(listed.stdout) as { reference: string; digest: string }[];
    assert.deepEqual(
      rows.filter((r) => r.reference !== BASE_ONLY).map((r) => [r.reference, r.digest]),
      [['localhost/multi:nested', outer.digest]],
    );
    assert.equal(stevedore(root, ['inspect', 'localhost/multi:nested']).code, 0);

    const removed = stevedore(root, ['rmi', 'localhost/multi:nested']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /Untagged: localhost\/multi:nested/);
    assert.deepEqual(references(root), [BASE_ONLY]);
    assert.deepEqual(storeTree(root), before, 'every blob of it is gone');
  });
});

describe('load checks compressed layers against the config diff IDs', () => {
  const work = tempDir('stevedore-sec-diffid-');

  it('a gzip layer whose content is not the diff ID the config names is refused, and nothing is kept', async () => {
    const layout = join(work, 'layout');
    const honest = await makeLayer([{ path: 'etc/motd', content: 'what the config promises' }]);
    const swapped = await makeLayer([{ path: 'etc/motd', content: 'something else entirely' }]);
    const layer = putBlob(layout, gzipSync(swapped));
    const config = putBlob(
      layout,
      JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(honest)] }, config: {} }),
    );
    const manifest = putBlob(
      layout,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.size },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer.digest, size: layer.size }],
      }),
    );
    setIndex(layout, [
      {
        mediaType: MANIFEST,
        digest: manifest.digest,
        size: manifest.size,
        annotations: { 'org.opencontainers.image.ref.name': 'v1' },
      },
    ]);
    const root = await storeWithAnImage(work, 'store');
    const before = storeTree(root);
    const r = stevedore(root, ['load', '-i', layout]);
    oneLineError(r, new RegExp(`layer 1 of .*${layer.digest}.*diff ID.*${sha256(honest)}`));
    assert.deepEqual(storeTree(root), before);
  });
});

async function registryCall(
  registry: RunningRegistry,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${registry.url}${path}`, { method, headers }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function pushBlob(registry: RunningRegistry, repo: string, bytes: Buffer): Promise<void> {
  const start = await registryCall(registry, 'POST', `/v2/${repo}/blobs/uploads/`);
  assert.equal(start.status, 202);
  const location = new URL(start.location!, registry.url);
  location.searchParams.set('digest', sha256(bytes));
  const put = await registryCall(registry, 'PUT', `${location.pathname}${location.search}`, bytes, {
    'content-type': 'application/octet-stream',
  });
  assert.equal(put.status, 201);
}

async function putManifest(
  registry: RunningRegistry,
  repo: string,
  ref: string,
  mediaType: string,
  bytes: Buffer,
): Promise<void> {
  const r = await registryCall(registry, 'PUT', `/v2/${repo}/manifests/${ref}`, bytes, { 'content-type': mediaType });
  assert.equal(r.status, 201, `PUT manifest ${ref}`);
}
