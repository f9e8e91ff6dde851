import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { tarDirectory, writeLegacyDockerArchive } from '../../testkit/archives.js';
import { peer, stevedore } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { umociBusyboxImage } from '../../testkit/umoci.js';
import { digestOf } from '../digest/hashing.js';

function imagesJson(root: string) {
  const r = stevedore(root, ['images', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { reference: string | null; id: string; digest: string; size: number; sharedSize: number }[];
}

function blobCount(root: string): number {
  const dir = join(root, 'oci', 'blobs', 'sha256');
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

describe('load, inspect and save, checked against skopeo and umoci', () => {
  const work = tempDir();
  const root = join(work, 'store');
  const layout = umociBusyboxImage(work);

  it('loads an image made by umoci, named localhost/<dir>:<tag>', () => {
    const r = stevedore(root, ['load', '-i', layout]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'Loaded image: localhost/umoci-layout:latest');
    const images = imagesJson(root);
    assert.equal(images.length, 1);
    assert.equal(images[0]?.reference, 'localhost/umoci-layout:latest');
  });

  it('inspect reports the manifest and config digests skopeo reads from the same layout', () => {
    const ours = JSON.parse(stevedore(root, ['inspect', 'localhost/umoci-layout', '--json']).stdout);
    const theirs = JSON.parse(peer('skopeo', ['inspect', `oci:${layout}:latest`]));
    const theirConfig = peer('skopeo', ['inspect', '--config', '--raw', `oci:${layout}:latest`]);
    assert.equal(ours.digest, theirs.Digest);
    assert.deepEqual(
      ours.layers.map((l: { digest: string }) => l.digest),
      theirs.Layers,
    );
    assert.equal(ours.id, digestOf(theirConfig), 'the image ID is the digest of the config skopeo reads');
    assert.equal(JSON.parse(theirConfig).rootfs.diff_ids[0], ours.layers[0].diffId);
  });

  it('keeps the store itself a layout skopeo reads by full reference', () => {
    const ours = JSON.parse(stevedore(root, ['inspect', 'localhost/umoci-layout', '--json']).stdout);
    const theirs = JSON.parse(peer('skopeo', ['inspect', `oci:${join(root, 'oci')}:localhost/umoci-layout:latest`]));
    assert.equal(theirs.Digest, ours.digest);
    assert.equal(theirs.Env[0], 'GREETING=hi');
  });

  it('saves one tar that skopeo reads both as an OCI archive and as a docker archive', () => {
    const ours = JSON.parse(stevedore(root, ['inspect', 'localhost/umoci-layout', '--json']).stdout);
    const archive = join(work, 'saved.tar');
    const r = stevedore(root, ['save', 'localhost/umoci-layout', '-o', archive]);
    assert.equal(r.code, 0, r.stderr);
    const asOci = JSON.parse(peer('skopeo', ['inspect', `oci-archive:${archive}`]));
    assert.equal(asOci.Digest, ours.digest);
    assert.deepEqual(
      asOci.Layers,
      ours.layers.map((l: { digest: string }) => l.digest),
    );
    const asDocker = JSON.parse(peer('skopeo', ['inspect', `docker-archive:${archive}`]));
    assert.deepEqual(
      asDocker.Layers,
      ours.layers.map((l: { diffId: string }) => l.diffId),
    );
    const dockerConfig = peer('skopeo', ['inspect', '--config', '--raw', `docker-archive:${archive}`]);
    const ociConfig = peer('skopeo', ['inspect', '--config', '--raw', `oci-archive:${archive}`]);
    assert.equal(digestOf(dockerConfig), ours.id);
    assert.equal(digestOf(ociConfig), ours.id);
  });

  it('loads its own saved archive back into another store with the same digests', () => {
    const other = join(work, 'other-store');
    const r = stevedore(other, ['load', '-i', join(work, 'saved.tar')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'Loaded image: localhost/umoci-layout:latest');
    assert.deepEqual(
      imagesJson(other).map((i) => [i.id, i.digest]),
      imagesJson(root).map((i) => [i.id, i.digest]),
    );
  });

  it('umoci can unpack what the store holds', () => {
    peer('umoci', [
      'unpack',
      '--rootless',
      '--image',
      `${join(root, 'oci')}:localhost/umoci-layout:latest`,
      join(work, 'unpacked'),
    ]);
    assert.equal(readFileSync(join(work, 'unpacked', 'rootfs', 'hello.txt'), 'utf8'), 'hello from umoci\n');
  });
});

describe('loading other forms of archive', () => {
  it('loads a legacy docker save archive, gzipped or not, under its RepoTags', async () => {
    const work = tempDir();
    const layers = [await busyboxLayer(), await makeLayer([{ path: 'etc/motd', content: 'hi\n' }])];
    const archive = join(work, 'legacy.tar');
    const { configDigest } = await writeLegacyDockerArchive(archive, layers, ['example/app:1.0']);
    writeFileSync(`${archive}.gz`, gzipSync(readFileSync(archive)));
    for (const input of [archive, `${archive}.gz`]) {
      const root = join(work, `store-${input.length}`);
      const r = stevedore(root, ['load', '-i', input]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'Loaded image: docker.io/example/app:1.0');
      const [image] = imagesJson(root);
      assert.equal(image?.id, configDigest);
      assert.equal(stevedore(root, ['fsck']).code, 0);
    }
  });

  it('loads an OCI archive, naming bare tags after --name', async () => {
    const work = tempDir();
    const dir = join(work, 'layout');
    writeLayout(dir, [{ refName: 'v1', layers: [await busyboxLayer()], gzip: true }]);
    await tarDirectory(dir, join(work, 'image.tar'));
    const root = join(work, 'store');
    const r = stevedore(root, ['load', '-i', join(work, 'image.tar'), '--name', 'registry.example:5000/team/tool']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'Loaded image: registry.example:5000/team/tool:v1');
  });
});

describe('archives written by skopeo', () => {
  it('loads skopeo docker-archive and oci-archive output with the image ID skopeo had', async () => {
    const work = tempDir();
    const layout = join(work, 'src');
    const [image] = writeLayout(layout, [{ refName: 'v1', layers: [await busyboxLayer()], gzip: true }]);
    const dockerArchive = join(work, 'docker.tar');
    const ociArchive = join(work, 'oci.tar');
    peer('skopeo', ['copy', '--quiet', `oci:${layout}:v1`, `docker-archive:${dockerArchive}:example.com/tools/box:v1`]);
    peer('skopeo', ['copy', '--quiet', `oci:${layout}:v1`, `oci-archive:${ociArchive}:v1`]);
    const root = join(work, 'store');
    const fromDocker = stevedore(root, ['load', '-i', dockerArchive]);
    assert.equal(fromDocker.code, 0, fromDocker.stderr);
    assert.equal(fromDocker.stdout.trim(), 'Loaded image: example.com/tools/box:v1');
    const fromOci = stevedore(root, ['load', '-i', ociArchive, '--name', 'example.com/tools/box-oci']);
    assert.equal(fromOci.code, 0, fromOci.stderr);
    const images = imagesJson(root);
    assert.equal(images.length, 2);
    for (const i of images) assert.equal(i.id, image!.configDigest);
    assert.equal(images.find((i) => i.reference?.endsWith('box-oci:v1'))?.digest, image!.manifestDigest);
    assert.equal(stevedore(root, ['fsck']).code, 0);
  });
});

describe('dedupe', () => {
  it('stores a shared base layer once and reports it as shared size', async () => {
    const work = tempDir();
    const base = await busyboxLayer();
    const a = await makeLayer([{ path: 'a.txt', content: 'a'.repeat(5000) }]);
    const b = await makeLayer([{ path: 'b.txt', content: 'b'.repeat(7000) }]);
    writeLayout(join(work, 'one'), [{ refName: 'a', layers: [base, a] }]);
    writeLayout(join(work, 'two'), [{ refName: 'b', layers: [base, b] }]);
    const root = join(work, 'store');
    assert.equal(stevedore(root, ['load', '-i', join(work, 'one'), '--name', 'app']).code, 0);
    assert.equal(stevedore(root, ['load', '-i', join(work, 'two'), '--name', 'app']).code, 0);
    // 2 manifests + 2 configs + base + a + b: the base is there once.
    assert.equal(blobCount(root), 7);
    const images = imagesJson(root);
    assert.equal(images.length, 2);
    for (const image of images) {
      assert.equal(image.sharedSize, base.length);
      assert.ok(image.size > base.length);
    }
    const table = stevedore(root, ['images']).stdout;
    assert.match(table, /SHARED SIZE/);
  });
});
