import assert from 'node:assert/strict';
import { chmodSync, chownSync, lstatSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, beforeEach, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { type LayerEntry, makeLayer } from '../../testkit/layers.js';
import { type TestImage, writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';

// Issue 12, items 1, 3 and the tar parts of 12, through the real `stevedore unpack`: every
// hostile layer is made here, loaded into a store of its own, and unpacked beside host files
// that must not change.

const work = tempDir('stevedore-layer-apply-');
const store = join(work, 'store');
let images = 0;

/** Loads one image made of `layers` into the store; returns its reference. */
function loadImage(layers: Buffer[], options: Omit<TestImage, 'layers'> = {}): string {
  const n = images++;
  const layout = join(work, 'layouts', String(n));
  writeLayout(layout, [{ refName: String(n), layers, ...options }]);
  const r = stevedore(store, ['load', '-i', layout, '--name', 'hostile']);
  assert.equal(r.code, 0, r.stderr);
  return `hostile:${n}`;
}

/** `stevedore unpack` into a fresh directory; returns the CLI's result and the directory. */
function unpack(ref: string, extra: string[] = []) {
  const dir = join(work, 'out', ref.replace(':', '-'));
  return { ...stevedore(store, ['unpack', ref, dir, ...extra]), dir };
}

const sym = (path: string, linkname: string): LayerEntry => ({ path, type: 'symlink', linkname });
const hard = (path: string, linkname: string): LayerEntry => ({ path, type: 'link', linkname });
/** A directory entry whose mode, owner and times, applied to a host binary, would make it a root-owned setuid, world-writable one. */
const hostileDir = (path: string): LayerEntry => ({ path, type: 'directory', mode: 0o4777, uid: 4242, gid: 4242 });

describe('item 1: deferred directory metadata never reaches the host', () => {
  const host = join(work, 'host');
  const tool = join(host, 'bin', 'tool');
  const hostDirs = [host, join(host, 'bin'), join(host, 'etc')];
  const metadata = (path: string) => {
    const st = lstatSync(path);
    return { path, mode: (st.mode & 0o7777).toString(8), uid: st.uid, gid: st.gid, mtime: st.mtimeMs };
  };
  const watched = () => [tool, ...hostDirs].map(metadata);
  let hostBefore: ReturnType<typeof watched>;
  let treeBefore: ReturnType<typeof snapshotTree>;

  before(() => {
    mkdirSync(join(host, 'bin'), { recursive: true });
    mkdirSync(join(host, 'etc'));
  });

  // Set anew for each case, so that each shows on its own whether it changed the host.
  beforeEach(() => {
    writeFileSync(tool, '#!/bin/sh\necho host tool\n');
    for (const p of [tool, ...hostDirs]) {
      chmodSync(p, 0o755);
      chownSync(p, 0, 0);
      utimesSync(p, 1_000_000, 1_000_000);
    }
    hostBefore = watched();
    treeBefore = snapshotTree(host);
  });

  const cases: [string, LayerEntry[][]][] = [
    ['a directory replaced by a symlink to a host binary in the same layer', [[hostileDir('d/'), sym('d', tool)]]],
    [
      'a directory of an earlier layer, given metadata and replaced by a symlink',
      [[{ path: 'd/', type: 'directory' }], [hostileDir('d/'), sym('d', tool)]],
    ],
    [
      'a directory replaced by a hard link to a hard link to a symlink',
      [[sym('a', tool), hard('b', 'a'), hostileDir('d/'), hard('d', 'b')]],
    ],
    [
      'a directory whose parent is replaced by a symlink to a host directory',
      [[{ path: 'p/', type: 'directory' }, hostileDir('p/etc/'), sym('p', host)]],
    ],
  ];
  for (const [name, layers] of cases) {
    it(`leaves the host as it was: ${name}`, async () => {
      const ref = loadImage(await Promise.all(layers.map(makeLayer)), { gzip: true });
      const r = unpack(ref);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(watched(), hostBefore);
      assert.deepEqual(snapshotTree(host), treeBefore);
    });
  }
});
