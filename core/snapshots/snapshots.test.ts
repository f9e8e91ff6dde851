import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
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

  it('unpacks through snapshots keyed by chain ID, reuses a shared base, and gc drops what no image needs', async () => {
    const work = tempDir();
    const base = await busyboxLayer();
    const [one, two] = writeLayout(join(work, 'l'), [
      { refName: 'one', layers: [base, await makeLayer([{ path: 'one', content: '1' }])] },
      { refName: 'two', layers: [base, await makeLayer([{ path: 'two', content: '2' }])] },
    ]);
    const root = join(work, 'store');
    assert.equal(stevedore(root, ['load', '-i', join(work, 'l'), '--name', 'app']).code, 0);

    assert.equal(stevedore(root, ['unpack', 'app:one', join(work, 'u1')]).code, 0);
    const chainOne = chainIds(one!.diffIds as Digest[]).map((c) => c.slice(7));
    assert.deepEqual(snapshots(root), [...chainOne].sort());

    assert.equal(stevedore(root, ['unpack', 'app:two', join(work, 'u2')]).code, 0);
    const chainTwo = chainIds(two!.diffIds as Digest[]).map((c) => c.slice(7));
    assert.equal(chainOne[0], chainTwo[0], 'the base is one snapshot');
    assert.deepEqual(snapshots(root), [...new Set([...chainOne, ...chainTwo])].sort());
    assert.ok(snapshotTree(join(work, 'u2')).two);
    assert.equal(snapshotTree(join(work, 'u2')).one, undefined);

    // What a user does to the unpacked copy never reaches the snapshot it came from.
    writeFileSync(join(work, 'u2', 'bin', 'busybox'), 'overwritten');
    const again = join(work, 'u3');
    assert.equal(stevedore(root, ['unpack', 'app:two', again]).code, 0);
    assert.notEqual(snapshotTree(again)['bin/busybox']?.sha256, digestOf('overwritten').slice(7));

    assert.equal(stevedore(root, ['rmi', 'app:one']).code, 0);
    assert.deepEqual(snapshots(root), [...chainTwo].sort(), "one's own top snapshot went with it");
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
