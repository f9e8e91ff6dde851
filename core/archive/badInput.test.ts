import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { tarDirectory, writeTar } from '../../testkit/archives.js';
import { stevedore } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';

/** Every bad input is refused with one `error:` line, and the store is exactly as it was. */
function assertRefused(root: string, input: string, why: RegExp): void {
  const before = snapshot(root);
  const r = stevedore(root, ['load', '-i', input]);
  assert.notEqual(r.code, 0, 'the load should fail');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line of error, got: ${r.stderr}`);
  assert.match(lines[0] ?? '', /^error: /);
  assert.match(lines[0] ?? '', why);
  assert.deepEqual(snapshot(root), before, 'the store is unchanged');
  assert.equal(stevedore(root, ['fsck']).code, 0);
}

function snapshot(root: string): { images: string; blobs: string[]; temp: string[] } {
  const blobs = join(root, 'oci', 'blobs', 'sha256');
  const temp = join(root, 'tmp', 'ingest');
  return {
    images: stevedore(root, ['images', '--json']).stdout,
    blobs: existsSync(blobs) ? readdirSync(blobs).sort() : [],
    temp: existsSync(temp) ? readdirSync(temp) : [],
  };
}

describe('bad input is refused and stores nothing', () => {
  const work = tempDir();
  const root = join(work, 'store');
  let good = '';

  before(async () => {
    good = join(work, 'good');
    writeLayout(good, [{ refName: 'v1', layers: [await busyboxLayer(), await makeLayer([{ path: 'x', content: 'x' }])] }]);
    // A store that already holds something: a failed load must not touch it.
    assert.equal(stevedore(root, ['load', '-i', good, '--name', 'kept']).code, 0);
  });

  it('a layout whose blob was altered', async () => {
    const dir = join(work, 'altered');
    const [image] = writeLayout(dir, [{ refName: 'v1', layers: [await makeLayer([{ path: 'f', content: 'original' }])] }]);
    const blob = join(dir, 'blobs', 'sha256', image!.layerDigests[0]!.slice(7));
    const bytes = readFileSync(blob);
    bytes[600] = (bytes[600] ?? 0) ^ 0xff;
    writeFileSync(blob, bytes);
    assertRefused(root, dir, new RegExp(`digest mismatch for layer 1 .*${image!.layerDigests[0]}`));
  });

  it('a layout missing a blob', async () => {
    const dir = join(work, 'missing');
    const [image] = writeLayout(dir, [{ refName: 'v1', layers: [await makeLayer([{ path: 'm', content: 'm' }])] }]);
    const blob = join(dir, 'blobs', 'sha256', image!.layerDigests[0]!.slice(7));
    rmSync(blob);
    assert.ok(!existsSync(blob));
    assertRefused(root, dir, /missing layer 1/);
  });

  it('an archive with a ../ entry, or an absolute one', async () => {
    const dotdot = join(work, 'dotdot.tar');
    await writeTar(dotdot, [
      { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
      { name: '../x', content: 'escape' },
    ]);
    assertRefused(root, dotdot, /refusing archive entry "\.\.\/x"/);
    const absolute = join(work, 'absolute.tar');
    await writeTar(absolute, [{ name: '/etc/evil', content: 'x' }]);
    assertRefused(root, absolute, /refusing archive entry/);
    const link = join(work, 'link.tar');
    await writeTar(link, [{ name: 'blobs/sha256/abc', type: 'symlink', linkname: '/etc/shadow' }]);
    assertRefused(root, link, /link target/);
  });

  it('a truncated tar', async () => {
    const archive = join(work, 'truncated.tar');
    await tarDirectory(good, archive);
    truncateSync(archive, Math.floor(readFileSync(archive).length / 2));
    assertRefused(root, archive, /truncated/);
  });

  it('a random file', () => {
    const random = join(work, 'random.bin');
    writeFileSync(random, randomBytes(4096));
    assertRefused(root, random, /is not an OCI layout, OCI archive or docker archive/);
  });

  it('a tar that is no image archive', async () => {
    const archive = join(work, 'plain.tar');
    await writeTar(archive, [{ name: 'README', content: 'hello' }]);
    assertRefused(root, archive, /neither an OCI archive nor a docker archive/);
  });

  it('a manifest that fails validation', () => {
    const dir = join(work, 'invalid');
    writeLayout(dir, []);
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { mediaType: 'x', digest: 'sha256:00', size: 1 } }));
    const hex = createHash('sha256').update(manifest).digest('hex');
    writeFileSync(join(dir, 'blobs', 'sha256', hex), manifest);
    writeFileSync(
      join(dir, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${hex}`, size: manifest.length }],
      }),
    );
    assertRefused(root, dir, /invalid manifest .*config\.digest/);
  });

  it('a manifest whose layers disagree with its config', async () => {
    const dir = join(work, 'disagree');
    const layer = await makeLayer([{ path: 'd', content: 'd' }]);
    writeLayout(dir, [{ refName: 'v1', layers: [layer], config: { Cmd: ['x'] } }]);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    const manifestPath = join(dir, 'blobs', 'sha256', index.manifests[0].digest.slice(7));
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.layers.push(manifest.layers[0]);
    writeLayout(dir, []);
    const bytes = Buffer.from(JSON.stringify(manifest));
    const hex = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(dir, 'blobs', 'sha256', hex), bytes);
    index.manifests[0] = { ...index.manifests[0], digest: `sha256:${hex}`, size: bytes.length };
    writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
    assertRefused(root, dir, /lists 2 layers but the config's rootfs has 1 diff_ids/);
  });

  it('a path that does not exist', () => {
    assertRefused(root, join(work, 'nope'), /does not exist/);
  });

  it('leaves the image that was there whole', () => {
    const images = JSON.parse(stevedore(root, ['images', '--json']).stdout);
    assert.deepEqual(
      images.map((i: { reference: string }) => i.reference),
      ['docker.io/library/kept:v1'],
    );
  });
});

describe('fsck', () => {
  it('finds a byte flipped in a stored blob, and names the image that uses it', async () => {
    const work = tempDir();
    const root = join(work, 'store');
    const dir = join(work, 'layout');
    const [image] = writeLayout(dir, [{ refName: 'v1', layers: [await makeLayer([{ path: 'f', content: 'x'.repeat(2000) }])] }]);
    assert.equal(stevedore(root, ['load', '-i', dir, '--name', 'flip']).code, 0);
    assert.equal(stevedore(root, ['fsck']).code, 0);
    const stored = join(root, 'oci', 'blobs', 'sha256', image!.layerDigests[0]!.slice(7));
    const bytes = readFileSync(stored);
    bytes[1000] = (bytes[1000] ?? 0) ^ 1;
    writeFileSync(stored, bytes);
    const r = stevedore(root, ['fsck']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`corrupt: ${image!.layerDigests[0]}: digest mismatch .*used by docker.io/library/flip:v1`));
    assert.match(r.stdout, /1 problems/);
  });
});
