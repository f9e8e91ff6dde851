import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { GuestManifest } from '../../guest/buildGuest.js';
import { makeLayer } from '../../testkit/layers.js';
import { tempDir } from '../../testkit/tempDir.js';
import { loadImages } from '../archive/load.js';
import { commitImage } from '../builder/imageCommit.js';
import type { Digest } from '../digest/digest.js';
import { ImageRecords } from '../images/imageRecords.js';
import type { ImageConfig } from '../oci/config.js';
import type { Descriptor } from '../oci/descriptor.js';
import { MediaType } from '../oci/mediaTypes.js';
import { ingestBytes } from '../store/ingest.js';
import { Store } from '../store/store.js';
import { packedGuestLayout, storeGuestImage } from './guestImagePack.js';
import { unpackGuestImage } from './guestImageUnpack.js';
import { machinePaths, prepareMachineDirs } from './machinePaths.js';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A stand-in for the guest build's output: three small files and their manifest. */
function fakeGuest(
  files: Record<'kernel' | 'initrd' | 'rootfs', string>,
  lie?: 'rootfs',
): { dir: string; manifest: GuestManifest } {
  const dir = tempDir('stevedore-guest-');
  const names = { kernel: 'vmlinux', initrd: 'initrd.img', rootfs: 'rootfs.erofs' } as const;
  const artifact = (key: keyof typeof names) => {
    writeFileSync(join(dir, names[key]), files[key]);
    return {
      path: names[key],
      sha256: sha256(lie === key ? `not ${files[key]}` : files[key]),
      size: Buffer.byteLength(files[key]),
    };
  };
  const manifest = {
    format: 1,
    agentVersion: '0.1.0',
    inputKey: 'f'.repeat(64),
    sourceDateEpoch: 0,
    kernel: { package: 'linux-image-test', version: '1', release: '6.1.0-test' },
    node: { version: 'v20', sha256: '0'.repeat(64), from: 'test' },
    packages: [],
    modules: [],
    artifacts: { kernel: artifact('kernel'), initrd: artifact('initrd'), rootfs: artifact('rootfs') },
  } satisfies GuestManifest;
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, manifest };
}

const files = { kernel: 'kernel bytes', initrd: 'initramfs bytes', rootfs: 'root filesystem bytes' };

describe('the guest image in the store', () => {
  it('is a plain OCI image, one tar+gzip layer per file, the same digest in any store', async () => {
    const { dir, manifest } = fakeGuest(files);
    const a = await storeGuestImage(Store.open(tempDir()), dir, manifest);
    const b = await storeGuestImage(Store.open(tempDir()), dir, manifest);
    assert.equal(a.ref, 'localhost/stevedore/guest:0.1.0');
    assert.equal(a.manifest.digest, b.manifest.digest, 'reproducible');

    const store = Store.open(tempDir());
    await storeGuestImage(store, dir, manifest);
    const image = new ImageRecords(store).resolve(a.ref);
    assert.deepEqual(
      image.manifest.layers.map((l: Descriptor) => [l.mediaType, l.annotations?.['org.opencontainers.image.title']]),
      ['manifest.json', 'vmlinux', 'initrd.img', 'rootfs.erofs'].map((t) => [MediaType.ociLayerGzip, t]),
    );
    const paths = machinePaths(tempDir());
    prepareMachineDirs(paths);
    const out = await unpackGuestImage(store, image, a.ref, paths);
    assert.deepEqual(out, manifest);
    assert.equal(readFileSync(paths.rootfs, 'utf8'), files.rootfs);
    assert.equal(readFileSync(paths.kernel, 'utf8'), files.kernel);
  });

  it('is packed once per build, as a layout beside the artifacts that loads as the same image', async () => {
    const { dir, manifest } = fakeGuest(files);
    writeFileSync(join(dir, 'oci-0123456789abcdef'), 'a layout of an earlier build');
    const layout = await packedGuestLayout(dir, manifest);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('oci-') || f.startsWith('.')),
      [`oci-${'f'.repeat(16)}`],
      'the earlier layout and the packing store are gone',
    );
    const index = join(layout, 'index.json');
    const before = readFileSync(index, 'utf8');
    writeFileSync(index, before.replace('"manifests"', '"manifests" '));
    assert.equal(await packedGuestLayout(dir, manifest), layout);
    assert.notEqual(readFileSync(index, 'utf8'), before, 'the second call took the layout as it was');
    writeFileSync(index, before);

    const store = Store.open(tempDir());
    await loadImages(store, layout);
    const direct = await storeGuestImage(Store.open(tempDir()), dir, manifest);
    assert.equal(new ImageRecords(store).resolve(direct.ref).manifestDescriptor.digest, direct.manifest.digest);
  });

  it('refuses a file whose sha256 is not the manifest’s, and leaves no guest behind', async () => {
    const { dir, manifest } = fakeGuest(files, 'rootfs');
    const store = Store.open(tempDir());
    const { ref } = await storeGuestImage(store, dir, manifest);
    const paths = machinePaths(tempDir());
    prepareMachineDirs(paths);
    await assert.rejects(
      unpackGuestImage(store, new ImageRecords(store).resolve(ref), ref, paths),
      /rootfs\.erofs has sha256 .* its manifest says/,
    );
    assert.ok(!existsSync(paths.guestManifest) && !existsSync(paths.rootfs));
    assert.deepEqual(readdirSync(paths.dir).sort(), ['initrd.img', 'vmlinux']);
  });

  it('refuses a layer that holds anything but its one file (here a second, climbing out)', async () => {
    const { dir, manifest } = fakeGuest(files);
    const store = Store.open(tempDir());
    const { ref } = await storeGuestImage(store, dir, manifest);
    const good = new ImageRecords(store).resolve(ref);
    const hostileTar = await makeLayer([
      { path: 'rootfs.erofs', content: files.rootfs },
      { path: '../../escaped', content: 'x' },
    ]);
    const lease = store.newLease();
    const stored = await ingestBytes(store.layout, hostileTar, {}, lease);
    const layers = good.manifest.layers.map((l: Descriptor, i: number) => ({
      descriptor: l,
      diffId: good.config.rootfs.diff_ids[i] as Digest,
    }));
    layers[3] = {
      descriptor: { mediaType: MediaType.ociLayer, digest: stored.digest, size: stored.size },
      diffId: stored.digest,
    };
    const config: ImageConfig = { ...good.config, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } };
    await commitImage(store, { key: '', config, layers }, ['localhost/hostile/guest:1']);
    lease.release();

    const root = tempDir();
    const paths = machinePaths(join(root, 'store'));
    mkdirSync(join(root, 'store'));
    prepareMachineDirs(paths);
    const hostile = new ImageRecords(store).resolve('localhost/hostile/guest:1');
    await assert.rejects(
      unpackGuestImage(store, hostile, 'localhost/hostile/guest:1', paths),
      /should hold the one file rootfs\.erofs/,
    );
    assert.deepEqual(readdirSync(root), ['store']);
    assert.ok(!existsSync(paths.guestManifest));
  });

  it('refuses an image that is not a guest image', async () => {
    const { dir, manifest } = fakeGuest(files);
    const store = Store.open(tempDir());
    const { ref } = await storeGuestImage(store, dir, manifest);
    const good = new ImageRecords(store).resolve(ref);
    const plain = { ...good, config: { ...good.config, config: {} } };
    const paths = machinePaths(tempDir());
    prepareMachineDirs(paths);
    await assert.rejects(
      unpackGuestImage(store, plain, 'busybox', paths),
      /busybox is not a usable Stevedore guest image: it lacks the label/,
    );
  });
});
