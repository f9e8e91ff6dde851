import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import type { Digest } from '../digest/digest.js';
import { Engine } from '../engine.js';
import { Store } from '../store/store.js';
import { describeImage } from './detail.js';
import { factsOf, ImageFactsCache } from './imageFacts.js';
import { ImageRecords } from './imageRecords.js';
import { summarize } from './summaries.js';

/** A store of four images: two share a base layer, one has two names, one is loaded untagged by digest only. */
async function storeWithImages(): Promise<string> {
  const root = tempDir();
  const layout = join(tempDir(), 'layout');
  const base = await makeLayer([{ path: 'etc/base', content: 'base\n' }]);
  const written = writeLayout(layout, [
    { refName: 'one', layers: [base, await makeLayer([{ path: 'one', content: '1' }])], created: '2024-03-01T00:00:00Z' },
    { refName: 'two', layers: [base, await makeLayer([{ path: 'two', content: '2' }])], created: '2024-02-01T00:00:00Z' },
    { refName: 'docker.io/library/alias:x', layers: [await makeLayer([{ path: 'three', content: '3' }])], gzip: true },
    { refName: 'four', layers: [await makeLayer([{ path: 'four', content: '4' }])], architecture: 'arm64' },
  ]);
  const engine = new Engine(root);
  await engine.loadImages(layout, 'app');
  await engine.tagImage(written[2]!.configDigest, 'other/name:latest');
  return root;
}

/** A listing as a new process makes it (a new Store and ImageRecords), counting the blobs it reads. */
function listAsNewProcess(root: string) {
  const store = Store.open(root);
  let blobReads = 0;
  const readBlob = store.readBlob.bind(store);
  store.readBlob = (digest: Digest) => {
    blobReads++;
    return readBlob(digest);
  };
  const records = new ImageRecords(store);
  const rows = summarize(new ImageFactsCache(store, records).list());
  return { rows, blobReads, store, records };
}

/** The rows read from the blobs themselves, with no cache. */
function rowsFromBlobs(root: string) {
  const records = new ImageRecords(Store.open(root));
  return summarize(records.all().images.map((image) => ({ ...factsOf(image), refs: image.refs })));
}

/** Makes the blobs directory look long untouched (an mtime in 2001), so that a cache written now is trusted. */
function settleBlobs(root: string): void {
  const longAgo = new Date('2001-01-01T00:00:00Z');
  utimesSync(join(root, 'oci', 'blobs', 'sha256'), longAgo, longAgo);
}

describe('image facts cache', () => {
  it('gives the rows the blobs give, and a second listing reads no blob', async () => {
    const root = await storeWithImages();
    settleBlobs(root);
    const first = listAsNewProcess(root);
    assert.ok(first.blobReads > 0, 'the first listing reads the manifests and configs');
    assert.deepEqual(first.rows, rowsFromBlobs(root));
    assert.equal(first.rows.length, 5);
    const second = listAsNewProcess(root);
    assert.equal(second.blobReads, 0, 'the second listing takes every image from the cache');
    assert.deepEqual(second.rows, first.rows);
  });

  it('notices a blob removed after the cache was written, and a name added', async () => {
    const root = await storeWithImages();
    settleBlobs(root);
    const before = listAsNewProcess(root);
    const gone = before.rows.find((r) => r.reference === 'docker.io/library/four:latest' || r.tag === 'four');
    assert.ok(gone, 'image four is listed');
    // Its config blob disappears (a damaged store): the image cannot be read, so it is not listed.
    rmSync(join(root, 'oci', 'blobs', 'sha256', gone.id.slice(7)));
    const after = listAsNewProcess(root);
    assert.equal(
      after.rows.some((r) => r.id === gone.id),
      false,
    );
    assert.deepEqual(after.rows, rowsFromBlobs(root));
    // A new name for a cached image is index.json's, read every time.
    const engine = new Engine(root);
    await engine.tagImage(before.rows[0]!.id, 'brand/new:tag');
    assert.ok(listAsNewProcess(root).rows.some((r) => r.reference === 'docker.io/brand/new:tag'));
  });

  it('lists again from memory in a long-lived engine, without reading or writing the file', async () => {
    const root = await storeWithImages();
    settleBlobs(root);
    const store = Store.open(root);
    const cache = new ImageFactsCache(store, new ImageRecords(store));
    const first = summarize(cache.list());
    const file = join(root, 'cache', 'image-facts.json');
    rmSync(file);
    assert.deepEqual(summarize(cache.list()), first);
    assert.equal(existsSync(file), false, 'nothing changed, so nothing was written');
  });

  it('ignores a damaged cache file and writes it again', async () => {
    const root = await storeWithImages();
    const expected = rowsFromBlobs(root);
    listAsNewProcess(root);
    const file = join(root, 'cache', 'image-facts.json');
    writeFileSync(file, '{"version": 1, "facts": ');
    assert.deepEqual(listAsNewProcess(root).rows, expected);
    assert.doesNotThrow(() => JSON.parse(readFileSync(file, 'utf8')));
  });

  it("gives the image detail each layer's other images from the facts, reading no other image's blobs", async () => {
    const root = await storeWithImages();
    settleBlobs(root);
    listAsNewProcess(root);
    // A new process, the facts cache written: the detail reads the image's own manifest and config only.
    const store = Store.open(root);
    const records = new ImageRecords(store);
    let blobReads = 0;
    const readBlob = store.readBlob.bind(store);
    store.readBlob = (digest: Digest) => {
      blobReads++;
      return readBlob(digest);
    };
    const detail = describeImage(store, records.resolve('app:one'), new ImageFactsCache(store, records).list());
    assert.deepEqual(
      detail.layers.map((l) => l.sharedWith),
      [['app:two'], []],
    );
    assert.ok(blobReads <= 4, `the detail of one image read ${blobReads} blobs`);
  });
});
