import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';

const work = tempDir();
const root = join(work, 'store');
const dockerfile = [
  'FROM box:v1',
  'COPY app/ /app/',
  'RUN mkdir -p /made && echo ran > /made/file && ln -s /app/a.txt /made/link && chmod 0600 /made/file',
  'RUN rm -f /etc/hostname.gone',
  '',
].join('\n');

let context: string;
let expected: ReturnType<typeof snapshotTree>;

function images(store: string): string {
  const r = stevedore(store, ['images', '-q', '--no-trunc']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/** `build -o …` of the context; the images listed before and after must be the same. */
function exportBuild(output: string): void {
  const before = images(root);
  const r = stevedore(root, ['build', '-q', '-o', output, context]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(images(root), before, 'build -o must not store an image');
}

describe('build -o: the result exported, no image stored (issue 16)', () => {
  before(async () => {
    await loadBoxImage(root, work);
    context = join(work, 'ctx');
    mkdirSync(join(context, 'app', 'sub'), { recursive: true });
    writeFileSync(join(context, 'Dockerfile'), dockerfile);
    writeFileSync(join(context, 'app', 'a.txt'), 'a\n');
    writeFileSync(join(context, 'app', 'sub', 'b.txt'), 'b\n');
    // The reference: the same build stored as an image, then unpacked.
    const built = stevedore(root, ['build', '-q', '-t', 'exported:ref', context]);
    assert.equal(built.code, 0, built.stderr);
    const dir = join(work, 'reference');
    const unpacked = stevedore(root, ['unpack', 'exported:ref', dir]);
    assert.equal(unpacked.code, 0, unpacked.stderr);
    expected = snapshotTree(dir);
    assert.ok(expected['made/file'], 'the reference has the RUN step’s file');
  });

  it('-o type=local,dest=DIR writes the root filesystem into DIR', () => {
    const dest = join(work, 'local');
    exportBuild(`type=local,dest=${dest}`);
    assert.deepEqual(snapshotTree(dest), expected);
  });

  it('-o DIR alone means type=local', () => {
    const dest = join(work, 'bare');
    exportBuild(dest);
    assert.deepEqual(snapshotTree(dest), expected);
  });

  it('-o type=tar,dest=FILE writes the root filesystem as a tar', () => {
    const file = join(work, 'rootfs.tar');
    exportBuild(`type=tar,dest=${file}`);
    const dir = join(work, 'from-tar');
    mkdirSync(dir);
    const x = spawnSync('tar', ['-xpf', file, '-C', dir, '--same-owner'], { encoding: 'utf8' });
    assert.equal(x.status, 0, x.stderr);
    assert.deepEqual(snapshotTree(dir), expected);
  });

  it('-o type=oci,dest=FILE writes an OCI archive of the image', () => {
    const file = join(work, 'image.oci.tar');
    exportBuild(`type=oci,dest=${file}`);
    assert.ok(existsSync(file));
    const other = join(work, 'other-store');
    const loaded = stevedore(other, ['load', '-i', file]);
    assert.equal(loaded.code, 0, loaded.stderr);
    const id = images(other).trim();
    assert.match(id, /^sha256:/);
    const dir = join(work, 'from-oci');
    const unpacked = stevedore(other, ['unpack', id, dir]);
    assert.equal(unpacked.code, 0, unpacked.stderr);
    assert.deepEqual(snapshotTree(dir), expected);
  });

  it('refuses an unknown -o type in one line', () => {
    const r = stevedore(root, ['build', '-o', 'type=registry', context]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /type=registry/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
});
