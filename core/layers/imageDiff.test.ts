import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';

const bytes = (n: number, c: string) => c.repeat(n);

function json(root: string, args: string[]) {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('diff, checked against figures worked out by hand', () => {
  const work = tempDir();
  const root = join(work, 'store');

  before(async () => {
    const layers = [
      await makeLayer([
        { path: 'a.txt', content: bytes(100, 'a') },
        { path: 'big.bin', content: bytes(1000, 'b') },
        { path: 'd/', type: 'directory' },
        { path: 'd/x', content: bytes(50, 'x') },
        { path: 'd/y', content: bytes(30, 'y') },
        { path: 'keep.txt', content: bytes(10, 'k') },
      ]),
      await makeLayer([
        { path: 'a.txt', content: bytes(200, 'A') },
        { path: '.wh.big.bin', content: '' },
        { path: 'new.txt', content: bytes(5, 'n') },
      ]),
      await makeLayer([
        { path: '.wh.d', content: '' },
        { path: 'a.txt', content: bytes(300, '3') },
        { path: 'new.txt', content: bytes(5, 'n') },
      ]),
    ];
    writeLayout(join(work, 'l'), [
      {
        refName: 'v1',
        layers,
        history: [
          { created_by: 'ADD base' },
          { created_by: 'RUN edit' },
          { created_by: 'ENV X=1', empty_layer: true },
          { created_by: 'RUN clean' },
        ],
      },
      { refName: 'v2', layers: layers.slice(0, 2) },
    ]);
    assert.equal(stevedore(root, ['load', '-i', join(work, 'l'), '--name', 'wasteful']).code, 0);
  });

  it("lists each layer's added, modified and removed files with the history entry that made it", () => {
    const d = json(root, ['diff', 'wasteful:v1', '--json']);
    const summary = d.layers.map((l: Record<string, unknown>) => [
      l.createdBy,
      l.added,
      l.modified,
      l.removed,
      l.addedBytes,
      l.modifiedBytes,
      l.removedBytes,
    ]);
    assert.deepEqual(summary, [
      ['ADD base', 6, 0, 0, 1190, 0, 0],
      ['RUN edit', 1, 1, 1, 5, 200, 1000],
      ['RUN clean', 0, 1, 3, 0, 300, 80],
    ]);
    assert.deepEqual(
      d.layers[2].changes.map((c: { path: string; change: string }) => `${c.change} ${c.path}`),
      ['modified a.txt', 'removed d', 'removed d/x', 'removed d/y'],
    );
  });

  it("scores efficiency with dive's formula", () => {
    const { efficiency } = json(root, ['diff', 'wasteful:v1', '--json']);
    // min per path: a.txt 100, big.bin 0 (deleted), d/x 50, d/y 30, keep.txt 10, new.txt 5, d 80 = 275
    // all sizes:    a.txt 600, big.bin 1000, 50, 30, 10, new.txt 10, d 80 = 1780
    assert.equal(efficiency.score, 275 / 1780);
    assert.equal(efficiency.wastedBytes, 600 + 1000 + 10);
    assert.equal(efficiency.userSizeBytes, 205 + 305);
    assert.deepEqual(efficiency.wasted, [
      { path: 'big.bin', count: 2, totalSize: 1000 },
      { path: 'a.txt', count: 3, totalSize: 600 },
      { path: 'new.txt', count: 2, totalSize: 10 },
    ]);
  });

  it('prints one layer, and refuses a layer that is not there', () => {
    const out = stevedore(root, ['diff', 'wasteful:v1', '--layer', '1']).stdout;
    assert.match(out, /^Layer 1 .* RUN edit$/m);
    assert.match(out, /^ {2}- big\.bin {2}1\.00kB$/m);
    assert.doesNotMatch(out, /^Layer 0/m);
    assert.match(out, /Image efficiency score: 15\.4 %/);
    const bad = stevedore(root, ['diff', 'wasteful:v1', '--layer', '7']);
    assert.match(bad.stderr, /^error: invalid --layer 7: the image has layers 0 to 2$/m);
  });

  it('compares two images: shared layers, then file changes between their filesystems', () => {
    const c = json(root, ['diff', 'wasteful:v2', 'wasteful:v1', '--json']);
    assert.equal(c.sharedLayers.length, 2);
    assert.equal(c.leftOnlyLayers.length, 0);
    assert.equal(c.rightOnlyLayers.length, 1);
    assert.deepEqual(
      c.changes.map((x: { path: string; change: string }) => `${x.change} ${x.path}`),
      ['modified a.txt', 'removed d', 'removed d/x', 'removed d/y'],
    );
  });
});
