import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { extract as tarExtract } from 'tar-stream';
import { type LayerEntry, makeLayer } from '../../testkit/layers.js';
import { tempDir } from '../../testkit/tempDir.js';
import { isStevedoreError } from '../errors.js';
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

describe('refusals', () => {
  const work = tempDir();
  let n = 0;
  const refusal = async (entries: LayerEntry[]): Promise<string> => {
    const root = join(work, `r${n++}`);
    mkdirSync(root);
    try {
      await applyLayer(root, entries);
    } catch (err) {
      assert.ok(isStevedoreError(err), String(err));
      return err.message;
    }
    assert.fail('the layer was applied');
  };

  it('stay on one line whatever the names hold', async () => {
    const messages = [
      await refusal([
        { path: 'p', content: 'a file' },
        { path: 'p/new\nline\tx', content: 'under a file' },
      ]),
      await refusal([{ path: 'new\nline', type: 'link', linkname: 'not\nthere' }]),
      await refusal([{ path: 'esc\u001b[31m', type: 'link', linkname: '../\n' }]),
    ];
    for (const message of messages) assert.doesNotMatch(message, /[\u0000-\u001f]/, message);
  });

  it('say that a parent is not a directory, naming the entry', async () => {
    const message = await refusal([
      { path: 'p', content: 'a file' },
      { path: 'p/q/r', content: 'under a file' },
    ]);
    assert.equal(message, 'refusing layer entry "p/q/r": a parent of it is not a directory');
  });
});
