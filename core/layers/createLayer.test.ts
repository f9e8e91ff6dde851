import assert from 'node:assert/strict';
import { chmodSync, linkSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';
import { Store } from '../store/store.js';
import { LayerApplier } from './apply.js';
import { createLayerTar } from './createLayer.js';
import { storeLayerTar } from './storeLayer.js';

function sampleDir(root: string, mtime: number): string {
  const dir = join(root, `src-${mtime}`);
  mkdirSync(join(dir, 'usr', 'bin'), { recursive: true });
  writeFileSync(join(dir, 'usr', 'bin', 'tool'), 'binary');
  chmodSync(join(dir, 'usr', 'bin', 'tool'), 0o4755);
  writeFileSync(join(dir, 'b.txt'), 'b');
  writeFileSync(join(dir, 'a.txt'), 'a');
  linkSync(join(dir, 'a.txt'), join(dir, 'a-hard'));
  symlinkSync('usr/bin/tool', join(dir, 'tool-link'));
  for (const p of ['usr/bin/tool', 'b.txt', 'a.txt', 'usr/bin', 'usr', '.']) utimesSync(join(dir, p), mtime, mtime);
  return dir;
}

async function entriesOf(gz: Buffer) {
  const extract = tarExtract();
  Readable.from([gunzipSync(gz)]).pipe(extract);
  const out = [];
  for await (const e of extract) {
    out.push(e.header);
    e.resume();
  }
  return out;
}

describe('deterministic layers', () => {
  it('keeps a mode of 0000 on files and directories (tar-stream would write 0644 and 0755 for 0)', async () => {
    const dir = join(tempDir(), 'modes');
    mkdirSync(join(dir, 'locked-dir'), { recursive: true });
    writeFileSync(join(dir, 'locked'), 'secret');
    chmodSync(join(dir, 'locked'), 0);
    chmodSync(join(dir, 'locked-dir'), 0);
    const chunks: Buffer[] = [];
    for await (const chunk of createLayerTar(dir, undefined)) chunks.push(chunk as Buffer);
    const extract = tarExtract();
    Readable.from([Buffer.concat(chunks)]).pipe(extract);
    const modes: Record<string, number | undefined> = {};
    for await (const e of extract) {
      modes[e.header.name] = e.header.mode;
      e.resume();
    }
    assert.deepEqual(modes, { locked: 0, 'locked-dir/': 0 });
  });

  it('gives the same digest for the same files, whatever their mtimes, under SOURCE_DATE_EPOCH', async () => {
    const work = tempDir();
    const store = Store.open(join(work, 'store'));
    const lease = store.newLease();
    const a = await storeLayerTar(
      store,
      lease,
      createLayerTar(sampleDir(work, 1_700_000_000), undefined, { sourceDateEpoch: 0 }),
    );
    const b = await storeLayerTar(
      store,
      lease,
      createLayerTar(sampleDir(work, 1_800_000_000), undefined, { sourceDateEpoch: 0 }),
    );
    assert.equal(a.descriptor.digest, b.descriptor.digest);
    assert.equal(a.diffId, b.diffId);
    const c = await storeLayerTar(store, lease, createLayerTar(sampleDir(work, 1_600_000_000), undefined, {}));
    assert.notEqual(c.diffId, a.diffId, 'without the epoch, real mtimes count');
    lease.release();
  });

  it('writes sorted entries, numeric owners only, hard links as links, and a fixed gzip header', async () => {
    const work = tempDir();
    const store = Store.open(join(work, 'store'));
    const lease = store.newLease();
    const { descriptor } = await storeLayerTar(
      store,
      lease,
      createLayerTar(sampleDir(work, 1_700_000_000), undefined, { sourceDateEpoch: 86400 }),
    );
    const blob = store.readBlob(descriptor.digest);
    assert.deepEqual(
      [...blob.subarray(0, 10)],
      [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff].map((b, i) => (i === 8 ? blob[8] : b)),
    );
    const headers = await entriesOf(blob);
    assert.deepEqual(
      headers.map((h) => h.name),
      ['a-hard', 'a.txt', 'b.txt', 'tool-link', 'usr/', 'usr/bin/', 'usr/bin/tool'],
    );
    for (const h of headers) {
      assert.equal(h.uname, '');
      assert.equal(h.gname, '');
      assert.equal(h.mtime?.getTime(), 86400_000);
    }
    assert.equal(headers.find((h) => h.name === 'a.txt')?.type, 'link');
    assert.equal(headers.find((h) => h.name === 'a.txt')?.linkname, 'a-hard');
    assert.equal(headers.find((h) => h.name === 'usr/bin/tool')?.mode, 0o4755);
    lease.release();
  });

  it('turns deleted paths into whiteouts, and applies back to the same tree', async () => {
    const work = tempDir();
    const src = sampleDir(work, 1_700_000_000);
    const tar = createLayerTar(src, { changed: ['a.txt', 'usr', 'usr/bin', 'usr/bin/tool'], deleted: ['gone', 'usr/old'] });
    const target = join(work, 'applied');
    mkdirSync(join(target, 'usr'), { recursive: true });
    writeFileSync(join(target, 'gone'), 'x');
    writeFileSync(join(target, 'usr', 'old'), 'x');
    const applier = new LayerApplier(target, { preserveOwnership: true });
    const extract = tarExtract();
    tar.pipe(extract);
    for await (const e of extract) await applier.apply({ header: e.header, body: e as unknown as Readable });
    applier.finish();
    const tree = snapshotTree(target);
    assert.deepEqual(Object.keys(tree).sort(), ['a.txt', 'usr', 'usr/bin', 'usr/bin/tool']);
    assert.deepEqual(tree['usr/bin/tool'], snapshotTree(src)['usr/bin/tool']);
  });
});
