import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { digestOf } from '../digest/hashing.js';
import { collectGarbage } from './gc.js';
import { ingestStream } from './ingest.js';
import { setRef } from './refs.js';
import { Store } from './store.js';

const chunks = (text: string) => Readable.from(text.match(/.{1,7}/gs)!.map((c) => Buffer.from(c)));

describe('the blob store', () => {
  it('lets two writers of the same blob both succeed, and keeps one copy', async () => {
    const store = Store.open(tempDir());
    const lease = store.newLease();
    const text = 'the same layer, written twice at once'.repeat(1000);
    const digest = digestOf(text);
    const results = await Promise.all([
      ingestStream(store.layout, chunks(text), { digest }, lease),
      ingestStream(store.layout, chunks(text), { digest }, lease),
      ingestStream(store.layout, chunks(text), {}, lease),
    ]);
    assert.deepEqual(
      results.map((r) => r.digest),
      [digest, digest, digest],
    );
    assert.equal(store.readBlob(digest).toString(), text);
    assert.deepEqual(readdirSync(store.layout.ingest), []);
    lease.release();
  });

  it('an ingest whose source fails midway, or sends too much, rejects and leaves no temp file', async () => {
    const store = Store.open(tempDir());
    const lease = store.newLease();
    const chunk = Buffer.alloc(64 << 10, 7);
    const failing = (n: number, end: (s: Readable) => void) => {
      let sent = 0;
      return new Readable({
        read() {
          if (sent++ < n) this.push(chunk);
          else end(this);
        },
      });
    };
    await assert.rejects(
      ingestStream(
        store.layout,
        failing(64, (s) => s.destroy(new Error('cut'))),
        {},
        lease,
      ),
      /cut/,
    );
    await assert.rejects(
      ingestStream(
        store.layout,
        failing(64, (s) => s.destroy()),
        {},
        lease,
      ),
      { code: 'ERR_STREAM_PREMATURE_CLOSE' },
    );
    await assert.rejects(
      ingestStream(
        store.layout,
        failing(64, (s) => s.push(null)),
        { size: 63 * chunk.length },
        lease,
      ),
      { code: 'SIZE_MISMATCH' },
    );
    await assert.rejects(
      ingestStream(
        store.layout,
        failing(64, (s) => s.push(null)),
        { size: 65 * chunk.length },
        lease,
      ),
      { code: 'SIZE_MISMATCH' },
    );
    // Failing while the temp file is still being opened (a file that is not there, read through a
    // transform) rejects like any other failure; nothing listened yet, so this used to crash.
    const early = new Readable({ read() {} });
    const call = ingestStream(store.layout, early, {}, lease);
    early.destroy(new Error('failed before the first byte'));
    await assert.rejects(call, /failed before the first byte/);
    const digest = digestOf(Buffer.alloc(64 * chunk.length, 7));
    await assert.rejects(
      ingestStream(
        store.layout,
        failing(64, (s) => s.push(null)),
        { digest: digest.replace(/.$/, '0') as typeof digest },
        lease,
      ),
      { code: 'DIGEST_MISMATCH' },
    );
    assert.deepEqual(readdirSync(store.layout.ingest), []);
    assert.ok(!existsSync(store.blobPath(digest)));
    const ok = await ingestStream(
      store.layout,
      failing(64, (s) => s.push(null)),
      { digest, size: 64 * chunk.length },
      lease,
    );
    assert.equal(ok.digest, digest);
    assert.equal(store.blobSize(digest), 64 * chunk.length);
    // Past 16 MiB the file is flushed early while the rest arrives: a failure waits for that too.
    await assert.rejects(
      ingestStream(
        store.layout,
        failing(400, (s) => s.destroy(new Error('cut late'))),
        {},
        lease,
      ),
      /cut late/,
    );
    const large = digestOf(Buffer.alloc(400 * chunk.length, 7));
    const big = await ingestStream(
      store.layout,
      failing(400, (s) => s.push(null)),
      { digest: large },
      lease,
    );
    assert.equal(big.size, 400 * chunk.length);
    assert.deepEqual(readdirSync(store.layout.ingest), []);
    lease.release();
  });

  it('a new store is a readable image layout; one whose empty index a crash cut to nothing opens as empty', async () => {
    const root = tempDir();
    const store = Store.open(root);
    assert.deepEqual(JSON.parse(readFileSync(store.layout.indexFile, 'utf8')).manifests, []);
    assert.equal(JSON.parse(readFileSync(store.layout.layoutFile, 'utf8')).imageLayoutVersion, '1.0.0');
    writeFileSync(store.layout.indexFile, '');
    const reopened = Store.open(root);
    assert.deepEqual(reopened.entries(), []);
    await reopened.updateIndex((index) => {
      index.manifests.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf('m'), size: 1 });
    });
    assert.equal(JSON.parse(readFileSync(store.layout.indexFile, 'utf8')).manifests.length, 1);
    writeFileSync(store.layout.indexFile, '{"schemaVersion": 2, "manifests": [');
    assert.throws(() => Store.open(root).entries(), { code: 'STORE_CORRUPT' });
  });

  it('removes temp files left by a dead process at the next start, never a live one', () => {
    const root = tempDir();
    const ingest = join(root, 'tmp', 'ingest');
    mkdirSync(ingest, { recursive: true });
    writeFileSync(join(ingest, '999999999-deadbeef'), 'partial');
    writeFileSync(join(ingest, `${process.pid}-cafe`), 'in progress');
    Store.open(root);
    assert.deepEqual(readdirSync(ingest), [`${process.pid}-cafe`]);
  });

  it('gc keeps blobs a running import holds a lease on, and sweeps them once it is gone', async () => {
    const store = Store.open(tempDir());
    const lease = store.newLease();
    const { digest } = await ingestStream(store.layout, chunks('orphan in progress'), {}, lease);
    const during = await collectGarbage(store, { dryRun: false });
    assert.deepEqual(during.removed, []);
    assert.ok(store.hasBlob(digest));
    lease.release();
    const dry = await collectGarbage(store, { dryRun: true });
    assert.deepEqual(
      dry.removed.map((r) => r.digest),
      [digest],
    );
    assert.ok(store.hasBlob(digest), 'a dry run removes nothing');
    await collectGarbage(store, { dryRun: false });
    assert.ok(!existsSync(store.blobPath(digest)));
  });

  it('leaves index.json as it is when a change of it changes nothing (a rebuild tagging its image again), and replaces it otherwise', async () => {
    const store = Store.open(tempDir());
    const image = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf('manifest'), size: 8 };
    const other = { ...image, digest: digestOf('another manifest') };
    const inode = () => statSync(store.layout.indexFile).ino;
    await store.updateIndex((index) => setRef(index, 'app:1', image));
    await store.updateIndex((index) => setRef(index, 'app:2', other));
    const written = inode();
    // app:1 is not the last entry: setting it again does not move it either.
    await store.updateIndex((index) => setRef(index, 'app:1', image));
    assert.equal(inode(), written, 'the same tag on the same image rewrote index.json');
    await store.updateIndex((index) => setRef(index, 'app:1', other));
    assert.notEqual(inode(), written);
    assert.deepEqual(
      store.entries().map((e) => [e.refName, e.descriptor.digest]),
      [
        ['app:2', other.digest],
        [undefined, image.digest],
        ['app:1', other.digest],
      ],
    );
  });
});
