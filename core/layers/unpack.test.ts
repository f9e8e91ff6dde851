import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { peer, stevedore } from '../../testkit/cli.js';
import { busyboxLayer, type LayerEntry, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';

const dir = (path: string, mode = 0o755, uid = 0, gid = 0): LayerEntry => ({ path, type: 'directory', mode, uid, gid });
const file = (path: string, content: string, mode = 0o644, uid = 0, gid = 0): LayerEntry => ({ path, content, mode, uid, gid });
const symlink = (path: string, linkname: string): LayerEntry => ({ path, type: 'symlink', linkname });
const hardlink = (path: string, linkname: string): LayerEntry => ({ path, type: 'link', linkname });

/** Layers that exercise every rule of image-spec layer.md that umoci implements too. */
async function trickyLayers(): Promise<Buffer[]> {
  return [
    await busyboxLayer(),
    await makeLayer([
      dir('etc/'),
      file('etc/removed', 'gone soon'),
      file('etc/kept', 'stays'),
      dir('opt/'),
      dir('opt/old/'),
      file('opt/old/a', 'lower a'),
      file('opt/lower.txt', 'lower'),
      dir('data/'),
      file('data/was-file', 'file, then a directory'),
      dir('data/was-dir/'),
      file('data/was-dir/inside', 'x'),
      file('data/was-file-now-link', 'x'),
      symlink('data/was-link-now-file', '../etc/kept'),
      dir('home/', 0o755),
      dir('home/app/', 0o700, 1000, 1000),
      file('home/app/.profile', 'export A=1\n', 0o600, 1000, 1000),
      file('usr-bin-su', 'setuid binary', 0o4755),
      file('sgid-tool', 'setgid binary', 0o2711, 0, 50),
      dir('tmp/', 0o1777),
      file('hard-a', 'linked content'),
      hardlink('hard-b', 'hard-a'),
      symlink('abs-link', '/etc/kept'),
      symlink('dangling', 'nowhere/at/all'),
      dir('doomed-dir/'),
      file('doomed-dir/f', 'f'),
      dir('dev/'),
      { path: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
      { path: 'dev/pipe', type: 'fifo', mode: 0o620 },
    ]),
    await makeLayer([
      file('etc/.wh.removed', ''),
      dir('opt/'),
      file('opt/.wh..wh..opq', ''),
      file('opt/new.txt', 'upper'),
      dir('data/was-file/'),
      file('data/was-file/now', 'a directory now'),
      file('data/was-dir', 'a file now'),
      symlink('data/was-file-now-link', '/etc/kept'),
      file('data/was-link-now-file', 'a file now'),
      file('etc/kept', 'changed content', 0o640, 0, 42),
      hardlink('hard-c', 'hard-a'),
      file('.wh.doomed-dir', ''),
      dir('var/'),
      dir('var/log/', 0o750, 0, 4),
    ]),
  ];
}

describe('unpack agrees with umoci', () => {
  it('applies an opaque marker before its siblings, wherever it sits in the tar', async () => {
    const work = tempDir();
    const layout = join(work, 'layout');
    const layers = [
      await makeLayer([dir('opt/'), file('opt/lower', 'lower'), dir('opt/sub/'), file('opt/sub/deep', 'deep')]),
      await makeLayer([
        dir('opt/'),
        file('opt/upper', 'upper'),
        dir('opt/sub/'),
        file('opt/.wh..wh..opq', ''),
        file('opt/after', 'after'),
      ]),
    ];
    writeLayout(layout, [{ refName: 'opaque', layers }]);
    peer('umoci', ['unpack', '--image', `${layout}:opaque`, join(work, 'bundle')]);
    const root = join(work, 'store');
    assert.equal(stevedore(root, ['load', '-i', layout, '--name', 'opaque']).code, 0);
    assert.equal(stevedore(root, ['unpack', 'opaque:opaque', join(work, 'ours')]).code, 0);
    const ours = snapshotTree(join(work, 'ours'));
    assert.deepEqual(Object.keys(ours).sort(), ['opt', 'opt/after', 'opt/sub', 'opt/upper']);
    assert.deepEqual(ours, snapshotTree(join(work, 'bundle', 'rootfs')));
  });

  it('unpacks zstd layers (checked against their diff IDs) to the same tree as gzip ones', async () => {
    const work = tempDir();
    const layers = await trickyLayers();
    writeLayout(join(work, 'z'), [{ refName: 'z', layers, zstd: true }]);
    writeLayout(join(work, 'g'), [{ refName: 'g', layers, gzip: true }]);
    const root = join(work, 'store');
    assert.equal(stevedore(root, ['load', '-i', join(work, 'z'), '--name', 'comp']).code, 0);
    assert.equal(stevedore(root, ['load', '-i', join(work, 'g'), '--name', 'comp']).code, 0);
    assert.equal(stevedore(root, ['unpack', 'comp:z', join(work, 'z-out')]).code, 0);
    assert.equal(stevedore(root, ['unpack', 'comp:g', join(work, 'g-out')]).code, 0);
    assert.deepEqual(snapshotTree(join(work, 'z-out')), snapshotTree(join(work, 'g-out')));
  });

  it('says what it could not apply instead of dropping it silently', async () => {
    const work = tempDir();
    const layer = await makeLayer([{ path: 'cap', content: 'x', pax: { 'SCHILY.xattr.user.origin': 'test' } }]);
    writeLayout(join(work, 'x'), [{ refName: 'x', layers: [layer] }]);
    const root = join(work, 'store');
    assert.equal(stevedore(root, ['load', '-i', join(work, 'x'), '--name', 'notes']).code, 0);
    const r = stevedore(root, ['unpack', 'notes:x', join(work, 'out')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^note: extended attributes were not applied/m);
  });

  it('gives the same tree as umoci unpack: whiteouts, opaque dirs, hardlinks, symlinks, type changes, setuid, ownership', async () => {
    const work = tempDir();
    const layout = join(work, 'layout');
    writeLayout(layout, [{ refName: 'tricky', layers: await trickyLayers(), gzip: true }]);
    peer('umoci', ['unpack', '--image', `${layout}:tricky`, join(work, 'bundle')]);
    const root = join(work, 'store');
    assert.equal(stevedore(root, ['load', '-i', layout, '--name', 'tricky']).code, 0);
    const r = stevedore(root, ['unpack', 'tricky:tricky', join(work, 'ours')]);
    assert.equal(r.code, 0, r.stderr);
    const theirs = snapshotTree(join(work, 'bundle', 'rootfs'));
    const ours = snapshotTree(join(work, 'ours'));
    assert.deepEqual(ours, theirs);
    // And the rules really were exercised:
    assert.equal(ours['etc/removed'], undefined);
    assert.equal(ours['opt/lower.txt'], undefined);
    assert.equal(ours['doomed-dir'], undefined);
    assert.equal(ours['data/was-file']?.type, 'dir');
    assert.equal(ours['usr-bin-su']?.mode, '4755');
    assert.deepEqual(ours['hard-a']?.links, ['hard-a', 'hard-b', 'hard-c']);
    assert.equal(ours['home/app/.profile']?.uid, 1000);
  });
});
