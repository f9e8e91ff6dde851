import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { digestOf } from '../digest/hashing.js';

const blobs = (root: string) => readdirSync(join(root, 'oci', 'blobs', 'sha256')).length;

function ok(root: string, args: string[]): string {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `stevedore ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function fails(root: string, args: string[], why: RegExp): void {
  const r = stevedore(root, args);
  assert.notEqual(r.code, 0);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, why);
}

describe('the stevedore command line', () => {
  const work = tempDir();
  const root = join(work, 'store');
  let configDigest = '';

  before(async () => {
    const base = await busyboxLayer();
    const [a] = writeLayout(join(work, 'layout'), [
      {
        refName: 'v1',
        layers: [base, await makeLayer([{ path: 'app', content: 'app' }])],
        config: { Cmd: ['/bin/sh'], Env: ['A=1'], ExposedPorts: { '80/tcp': {} }, Labels: { team: 'core' } },
      },
      { refName: 'v2', layers: [base, await makeLayer([{ path: 'app', content: 'app2' }])] },
    ]);
    configDigest = a!.configDigest;
    ok(root, ['load', '-i', join(work, 'layout'), '--name', 'web']);
  });

  it('lists images like docker: repository, tag, short ID, relative time, sizes', () => {
    const table = ok(root, ['images']).split('\n');
    assert.match(table[0] ?? '', /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\s+CONTENT SIZE\s+SHARED SIZE$/);
    const row = table.find((l) => l.includes(' v1 '));
    assert.match(
      row ?? '',
      new RegExp(`^web\\s+v1\\s+${configDigest.slice(7, 19)}\\s+\\d+ (years|months) ago\\s+\\S+B\\s+\\S+B\\s+\\S+B$`),
    );
    assert.deepEqual(ok(root, ['images', '-q']).trim().split('\n').length, 2);
  });

  it('inspects by name, by short ID and by digest', () => {
    for (const ref of ['web:v1', configDigest.slice(7, 19), configDigest]) {
      const d = JSON.parse(ok(root, ['inspect', ref, '--json']));
      assert.equal(d.id, configDigest);
      assert.deepEqual(d.config.exposedPorts, ['80/tcp']);
      assert.deepEqual(d.config.labels, { team: 'core' });
    }
    assert.match(ok(root, ['inspect', '--summary', 'web:v1']), /Exposed ports: 80\/tcp/);
  });

  it('tags and untags; removing the last name deletes the image and frees its blobs', () => {
    ok(root, ['tag', 'web:v1', 'localhost:5000/web:prod']);
    const before = blobs(root);
    assert.match(ok(root, ['rmi', 'web:v1']), /^Untagged: docker.io\/library\/web:v1$/m);
    assert.equal(blobs(root), before, 'still named localhost:5000/web:prod');
    const out = ok(root, ['rmi', 'localhost:5000/web:prod']);
    assert.match(out, new RegExp(`Deleted: ${configDigest}`));
    assert.equal(blobs(root), before - 3, 'manifest, config and the unshared layer are gone; the shared base stays');
    assert.equal(ok(root, ['fsck']).includes('0 problems'), true);
  });

  it('refuses to remove an image with several names by ID unless forced', () => {
    ok(root, ['tag', 'web:v2', 'other:v2']);
    const id = JSON.parse(ok(root, ['inspect', 'web:v2', '--json'])).id.slice(7, 19);
    fails(root, ['rmi', id], /several names .*--force/);
    ok(root, ['rmi', '-f', id]);
    assert.deepEqual(JSON.parse(ok(root, ['images', '--json'])), []);
  });

  it('gc --dry-run lists what gc then removes', () => {
    const orphan = Buffer.from('a blob no image names');
    const digest = digestOf(orphan);
    writeFileSync(join(root, 'oci', 'blobs', 'sha256', digest.slice(7)), orphan);
    const before = blobs(root);
    const dry = ok(root, ['gc', '--dry-run']);
    assert.match(dry, new RegExp(`would remove ${digest} \\(21B\\)`));
    assert.match(dry, /Would reclaim 21B in 1 blobs/);
    assert.equal(blobs(root), before);
    assert.match(ok(root, ['gc']), /Reclaimed 21B in 1 blobs/);
    assert.equal(blobs(root), before - 1);
  });

  it('answers mistakes with one clear line', () => {
    fails(root, ['imags'], /unknown command 'imags'.*images/);
    fails(root, ['images', '--jsno'], /unknown option '--jsno'.*--json/);
    fails(root, ['inspect', 'nothing-here'], /^error: no such image: nothing-here$/m);
    fails(root, ['tag', 'nothing-here', 'x'], /no such image/);
    fails(root, ['inspect', 'UPPER'], /lowercase/);
    fails(root, ['load'], /^error: requested load from stdin, but stdin is empty$/m);
    fails(root, ['ui', '--port', 'http'], /invalid port/);
  });
});

describe('dag', () => {
  it('shows a base layer shared by two images as one node used by both', async () => {
    const work = tempDir();
    const root = join(work, 'store');
    const base = await busyboxLayer();
    const [a, b] = writeLayout(join(work, 'l'), [
      { refName: 'a', layers: [base, await makeLayer([{ path: 'a', content: 'a' }])] },
      { refName: 'b', layers: [base, await makeLayer([{ path: 'b', content: 'b' }])] },
    ]);
    ok(root, ['load', '-i', join(work, 'l'), '--name', 'pair']);
    const one = JSON.parse(ok(root, ['dag', 'pair:a', '--json']));
    assert.deepEqual(one.roots, [a!.manifestDigest]);
    assert.equal(one.nodes.length, 4, 'manifest, config, 2 layers');
    const baseNode = one.nodes.find((n: { digest: string }) => n.digest === a!.layerDigests[0]);
    assert.deepEqual(baseNode.usedBy.sort(), ['pair:a', 'pair:b'], "one image's DAG still says who else shares a blob");
    const all = JSON.parse(ok(root, ['dag', '--json']));
    assert.equal(all.nodes.length, 7);
    const shared = all.nodes.find((n: { digest: string }) => n.digest === a!.layerDigests[0]);
    assert.deepEqual(shared.usedBy.sort(), ['pair:a', 'pair:b']);
    assert.equal(b!.layerDigests[0], a!.layerDigests[0]);
    assert.match(ok(root, ['dag', '--dot']), /^digraph image \{/);
    assert.match(ok(root, ['dag', 'pair:b']), /^manifest sha256:[a-f0-9]{64}/);
  });
});
