import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';
import type { Digest } from '../digest/digest.js';
import { digestOf } from '../digest/hashing.js';
import { chainIds } from './chainId.js';

const snapshots = (root: string) =>
  readdirSync(join(root, 'snapshots'))
    .filter((n) => !n.startsWith('.'))
    .sort();

describe('snapshots', () => {
  it('computes chain IDs as image-spec defines them', () => {
    const [a, b] = [digestOf('a'), digestOf('b')];
    assert.deepEqual(chainIds([a, b]), [a, digestOf(`${a} ${b}`)]);
  });

  it('keeps the layers images share as snapshots keyed by chain ID, reuses them, and gc drops them with the images', async () => {
    const work = tempDir();
    const base = await busyboxLayer();
    const [one, two] = writeLayout(join(work, 'l'), [
      { refName: 'one', layers: [base, await makeLayer([{ path: 'one', content: '1' }])] },
      { refName: 'two', layers: [base, await makeLayer([{ path: 'two', content: '2' }])] },
    ]);
    const root = join(work, 'store');
    assert.equal(stevedore(root, ['load', '-i', join(work, 'l'), '--name', 'app']).code, 0);
    const chainOne = chainIds(one!.diffIds as Digest[]).map((c) => c.slice(7));
    const chainTwo = chainIds(two!.diffIds as Digest[]).map((c) => c.slice(7));
    assert.equal(chainOne[0], chainTwo[0], 'the base has one chain ID');

    assert.equal(stevedore(root, ['unpack', 'app:one', join(work, 'u1')]).code, 0);
    assert.deepEqual(snapshots(root), [chainOne[0]], "the shared base is kept; the image's own layer went straight into DIR");
    const baseSnapshot = join(root, 'snapshots', chainOne[0]!, 'bin', 'busybox');
    const { ino } = statSync(baseSnapshot);

    assert.equal(stevedore(root, ['unpack', 'app:two', join(work, 'u2')]).code, 0);
    assert.equal(statSync(baseSnapshot).ino, ino, 'the second image reused the base snapshot');
    assert.deepEqual(snapshots(root), [chainOne[0]]);
    assert.ok(snapshotTree(join(work, 'u2')).two);
    assert.equal(snapshotTree(join(work, 'u2')).one, undefined);
    assert.deepEqual(snapshotTree(join(work, 'u1'))['bin/busybox'], snapshotTree(join(work, 'u2'))['bin/busybox']);

    // What a user does to the unpacked copy never reaches the snapshot it came from.
    writeFileSync(join(work, 'u2', 'bin', 'busybox'), 'overwritten');
    const again = join(work, 'u3');
    assert.equal(stevedore(root, ['unpack', 'app:two', again]).code, 0);
    assert.notEqual(snapshotTree(again)['bin/busybox']?.sha256, digestOf('overwritten').slice(7));

    assert.equal(stevedore(root, ['rmi', 'app:one']).code, 0);
    assert.deepEqual(snapshots(root), [chainOne[0]], 'two still stands on the base');
    assert.equal(stevedore(root, ['rmi', 'app:two']).code, 0);
    assert.deepEqual(snapshots(root), [], 'no image stands on it any more');
  });

  it('refuses to unpack into a directory that has files in it', async () => {
    const work = tempDir();
    writeLayout(join(work, 'l'), [{ refName: 'x', layers: [await makeLayer([{ path: 'f', content: 'f' }])] }]);
    const root = join(work, 'store');
    assert.equal(stevedore(root, ['load', '-i', join(work, 'l'), '--name', 'app']).code, 0);
    writeFileSync(join(work, 'l', 'extra'), '');
    const r = stevedore(root, ['unpack', 'app:x', join(work, 'l')]);
    assert.match(r.stderr, /is not empty; unpack into a new or empty directory/);
  });
});
