import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { extract as tarExtract } from 'tar-stream';
import { type LayerEntry, makeLayer } from '../../testkit/layers.js';
import { tempDir } from '../../testkit/tempDir.js';
import { LayerApplier } from './apply.js';

// Rules of image-spec layer.md that the fuzz pass (e2e/security/layerFuzz.test.ts) found broken.

async function applyLayer(root: string, entries: LayerEntry[]): Promise<void> {
  const applier = new LayerApplier(root, { preserveOwnership: true });
  const extract = tarExtract();
  Readable.from([await makeLayer(entries)]).pipe(extract);
  for await (const entry of extract) await applier.apply({ header: entry.header, body: entry as unknown as Readable });
  applier.finish();
}

describe('directories a layer makes on the way to an entry', () => {
  const work = tempDir();
  let n = 0;
  const freshRoot = () => {
    const root = join(work, `r${n++}`);
    mkdirSync(root);
    return root;
  };

  it('take a directory entry that comes after what is inside them', async () => {
    const root = freshRoot();
    await applyLayer(root, [
      { path: 'd/', type: 'directory' },
      { path: 'd/x/y', content: 'y' },
      { path: 'd/x/', type: 'directory', mode: 0o700 },
    ]);
    assert.deepEqual(readdirSync(join(root, 'd', 'x')), ['y']);
  });

  it("are the layer's own: an opaque marker after them keeps what the layer put there", async () => {
    const root = freshRoot();
    await applyLayer(root, [{ path: 'opt/lower', content: 'lower' }]);
    await applyLayer(root, [
      { path: 'opt/new/file', content: 'f' },
      { path: 'opt/.wh..wh..opq', content: '' },
    ]);
    assert.deepEqual(readdirSync(root, { recursive: true }).sort(), ['opt', 'opt/new', 'opt/new/file']);
  });
});

describe('names that start with two dots', () => {
  const work = tempDir();

  it('are names like any other, not a climb out of the root', async () => {
    const root = join(work, 'root');
    mkdirSync(root);
    await applyLayer(root, [
      { path: '.../', type: 'directory' },
      { path: '.../x', content: 'x' },
      { path: '..hidden', content: 'h' },
    ]);
    assert.deepEqual(readdirSync(root, { recursive: true }).sort(), ['...', '.../x', '..hidden']);
  });
});
