import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { peer, stevedore } from '../../testkit/cli.js';
import type { WrittenImage } from '../../testkit/ociLayout.js';
import { layoutWithImages, randomLayers } from '../../testkit/registry/fixtures.js';
import { type RunningRegistry, startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';
import { digestOf } from '../digest/hashing.js';

const work = tempDir('stevedore-interop-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

function ok(root: string, args: string[]): string {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `stevedore ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** skopeo against the loopback registry (plain http there). */
const skopeo = (...args: string[]) => peer('skopeo', ['--insecure-policy', ...args]);

describe('interop with skopeo through a real registry', () => {
  let registry: RunningRegistry;
  let image: WrittenImage;
  const layout = join(work, 'layout');

  before(async () => {
    registry = await startRegistry();
    image = (await layoutWithImages(layout, [{ refName: 'v1', layers: await randomLayers([800_000, 300_000]) }]))[0]!;
  });
  after(async () => {
    await registry?.stop();
  });

  it('pulls what skopeo pushed, with the same manifest, config and layer digests', () => {
    skopeo(
      'copy',
      '--preserve-digests',
      '--dest-tls-verify=false',
      `oci:${layout}:v1`,
      `docker://${registry.host}/from-skopeo/app:v1`,
    );
    const theirs = JSON.parse(skopeo('inspect', '--tls-verify=false', `docker://${registry.host}/from-skopeo/app:v1`));
    const root = join(work, 'pulled');
    const out = ok(root, ['pull', `${registry.host}/from-skopeo/app:v1`]);
    assert.match(out, new RegExp(`Digest: ${theirs.Digest}`));
    const ours = JSON.parse(ok(root, ['inspect', `${registry.host}/from-skopeo/app:v1`, '--json']));
    assert.equal(ours.digest, theirs.Digest);
    assert.equal(ours.digest, image.manifestDigest);
    assert.deepEqual(
      ours.layers.map((l: { digest: string }) => l.digest),
      theirs.Layers,
    );
    assert.equal(ours.id, image.configDigest);
    assert.match(ok(root, ['fsck']), /0 problems/);
  });

  it('what stevedore pushed, skopeo reads and copies with the same digests', () => {
    const root = join(work, 'pusher');
    ok(root, ['load', '-i', layout, '--name', 'localhost/app']);
    const out = ok(root, ['push', 'localhost/app:v1', `${registry.host}/from-stevedore/app:v1`]);
    assert.match(out, new RegExp(`digest: ${image.manifestDigest}`));
    const raw = skopeo('inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/from-stevedore/app:v1`);
    assert.equal(digestOf(raw), image.manifestDigest, 'the registry holds the exact manifest bytes');
    const copy = join(work, 'skopeo-copy');
    skopeo('copy', '--src-tls-verify=false', `docker://${registry.host}/from-stevedore/app:v1`, `oci:${copy}:v1`);
    const index = JSON.parse(readFileSync(join(copy, 'index.json'), 'utf8'));
    assert.equal(index.manifests[0].digest, image.manifestDigest);
    for (const layer of image.layerDigests) {
      const bytes = readFileSync(join(copy, 'blobs', 'sha256', layer.slice(7)));
      assert.equal(digestOf(bytes), layer);
    }
  });
});
