import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Digest } from '../../core/digest/digest.js';
import { storeLayout } from '../../core/store/layout.js';
import { Lease } from '../../core/store/lease.js';
import { stevedore } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';

// Issue 12 item 12 (fsck part): a snapshot changed on disk, or a build cache entry naming a blob
// that is gone, was invisible to `fsck`, which re-hashed blobs only.

function problemLines(stdout: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .filter((l) => /^(missing|corrupt|unreadable): /.test(l));
}

describe('fsck checks snapshots against their layers', () => {
  const work = tempDir('stevedore-sec-fsck-');
  const root = join(work, 'store');
  let snapshot = '';

  before(async () => {
    // Two images on one base layer: unpacking one keeps the base as a snapshot both share.
    const base = await busyboxLayer(['sh', 'ls', 'cat']);
    const layout = join(work, 'layout');
    writeLayout(layout, [
      { refName: 'base', layers: [base] },
      { refName: 'app', layers: [base, await makeLayer([{ path: 'etc/app.conf', content: 'x=1\n' }])] },
    ]);
    const loaded = stevedore(root, ['load', '-i', layout, '--name', 'localhost/shared']);
    assert.equal(loaded.code, 0, loaded.stderr);
    const unpacked = stevedore(root, ['unpack', 'localhost/shared:app', join(work, 'rootfs')]);
    assert.equal(unpacked.code, 0, unpacked.stderr);
    const names = readdirSync(join(root, 'snapshots')).filter((n) => !n.startsWith('.'));
    assert.equal(names.length, 1, 'the shared base is kept as a snapshot');
    snapshot = join(root, 'snapshots', names[0]!);
    const clean = stevedore(root, ['fsck']);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  });

  it('reports a file removed from a snapshot, with the images on it, and changes nothing', () => {
    rmSync(join(snapshot, 'bin', 'ls'));
    const before = snapshotTree(root);
    const r = stevedore(root, ['fsck']);
    assert.notEqual(r.code, 0, r.stdout);
    const lines = problemLines(r.stdout);
    assert.equal(lines.length, 1, r.stdout);
    assert.match(lines[0]!, /^corrupt: sha256:[0-9a-f]{64}: snapshot .* differs from its layers \(\/bin\/ls is missing\)/);
    assert.match(lines[0]!, /stevedore fsck --repair/);
    assert.match(lines[0]!, /used by .*localhost\/shared:app/);
    assert.match(lines[0]!, /localhost\/shared:base/);
    assert.deepEqual(snapshotTree(root), before, 'fsck alone repairs nothing');
  });

  it('reports a changed file and a changed mode, one line for the snapshot', () => {
    rmSync(join(snapshot, 'bin', 'busybox'));
    writeFileSync(join(snapshot, 'bin', 'busybox'), '#!/bin/sh\necho owned\n');
    chmodSync(join(snapshot, 'bin', 'busybox'), 0o4755);
    chmodSync(join(snapshot, 'bin'), 0o777);
    const r = stevedore(root, ['fsck']);
    assert.notEqual(r.code, 0);
    const lines = problemLines(r.stdout);
    assert.equal(lines.length, 1, r.stdout);
    assert.match(lines[0]!, /\/bin has mode 0777, its layers say 0755/);
    assert.match(lines[0]!, /\/bin\/busybox was changed/);
    assert.match(lines[0]!, /\/bin\/ls is missing/);
  });

  it('fsck --repair leaves a snapshot that a running build or unpack holds, and says why', () => {
    // This process stands in for a build mid-step: its lease names the snapshot's chain ID.
    const lease = new Lease(storeLayout(root));
    lease.add(`sha256:${basename(snapshot)}` as Digest);
    try {
      const r = stevedore(root, ['fsck', '--repair']);
      assert.notEqual(r.code, 0, r.stdout);
      assert.ok(existsSync(snapshot), 'a leased snapshot is not removed');
      assert.match(problemLines(r.stdout)[0]!, /not removed: a running build or unpack is using it/);
    } finally {
      lease.release();
    }
  });

  it('fsck --repair removes the bad snapshot; the next unpack makes it again, whole', () => {
    const r = stevedore(root, ['fsck', '--repair']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /removed corrupt snapshot sha256:/);
    assert.ok(!existsSync(snapshot));
    const again = stevedore(root, ['unpack', 'localhost/shared:app', join(work, 'rootfs2')]);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(existsSync(join(snapshot, 'bin', 'ls')));
    const clean = stevedore(root, ['fsck']);
    assert.equal(clean.code, 0, clean.stdout);
  });
});

describe('fsck checks the build cache', () => {
  const work = tempDir('stevedore-sec-fsck-cache-');
  const root = join(work, 'store');

  it('reports an entry that names a layer no longer in the store', () => {
    const context = join(work, 'context');
    mkdirSync(context, { recursive: true });
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
    writeFileSync(join(context, 'hello.txt'), 'hello\n');
    const built = stevedore(root, ['build', '-t', 'localhost/cached:1', context]);
    assert.equal(built.code, 0, built.stdout + built.stderr);
    assert.equal(stevedore(root, ['fsck']).code, 0);

    const cacheDir = join(root, 'build-cache');
    const entries = readdirSync(cacheDir).filter((n) => n.endsWith('.json'));
    const withLayer = entries.find((n) => JSON.parse(readFileSync(join(cacheDir, n), 'utf8')).layers.length > 0);
    assert.ok(withLayer, 'the COPY step is cached with its layer');
    const state = JSON.parse(readFileSync(join(cacheDir, withLayer), 'utf8'));
    const gone = `sha256:${'0'.repeat(64)}`;
    state.layers[0].descriptor.digest = gone;
    writeFileSync(join(cacheDir, withLayer), JSON.stringify(state));

    const r = stevedore(root, ['fsck']);
    assert.notEqual(r.code, 0, r.stdout);
    const lines = problemLines(r.stdout);
    assert.equal(lines.length, 1, r.stdout);
    assert.match(
      lines[0]!,
      new RegExp(
        `^missing: ${gone}: build cache entry ${withLayer.slice(0, 12)} names layer 1, which is not in the store; run \`stevedore builder prune\``,
      ),
    );
  });
});
