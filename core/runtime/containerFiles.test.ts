import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';
import { listContainerDirectory, readContainerFile } from './containerFiles.js';

const work = tempDir('stevedore-container-files-');

function tree(dir: string): void {
  mkdirSync(join(dir, 'etc'), { recursive: true });
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'etc', 'conf'), 'a=1\n');
  writeFileSync(join(dir, 'bin', 'tool'), 'tool', { mode: 0o755 });
  writeFileSync(join(dir, 'bin', 'gone'), 'gone');
  symlinkSync('tool', join(dir, 'bin', 'alias'));
  const then = new Date('2024-01-01T00:00:00Z');
  for (const p of ['etc/conf', 'bin/tool', 'bin/gone', 'etc', 'bin', '.']) utimesSync(join(dir, p), then, then);
}

describe('a container’s files', () => {
  it('lists one directory by lstat, confined to the root filesystem', () => {
    const rootfs = join(work, 'list');
    tree(rootfs);
    symlinkSync('/../../../', join(rootfs, 'escape'));
    const listed = listContainerDirectory(rootfs, '/bin');
    assert.equal(listed.path, '/bin');
    assert.deepEqual(
      listed.entries.map((e) => [e.name, e.path, e.type, e.size, e.mode.toString(8), e.linkTarget]),
      [
        ['alias', '/bin/alias', 'symlink', 4, '777', 'tool'],
        ['gone', '/bin/gone', 'file', 4, '644', null],
        ['tool', '/bin/tool', 'file', 4, '755', null],
      ],
    );
    // A symlink that climbs is followed inside the root, never out of it.
    const outside = snapshotTree(work);
    assert.deepEqual(
      listContainerDirectory(rootfs, '/escape').entries.map((e) => e.name),
      ['bin', 'escape', 'etc'],
    );
    assert.deepEqual(
      listContainerDirectory(rootfs, '../../..').entries.map((e) => e.name),
      ['bin', 'escape', 'etc'],
    );
    assert.deepEqual(snapshotTree(work), outside);
    assert.throws(() => listContainerDirectory(rootfs, '/etc/conf'), /\/etc\/conf is not a directory/);
    assert.throws(() => listContainerDirectory(rootfs, '/nope'), /no such directory \/nope/);
  });

  it('reads a regular file for a download, a final symlink followed inside the root', () => {
    const rootfs = join(work, 'read');
    tree(rootfs);
    mkdirSync(join(work, 'etc'), { recursive: true });
    writeFileSync(join(work, 'etc', 'secret'), 'host\n');
    symlinkSync('/../../etc/secret', join(rootfs, 'etc', 'link'));
    assert.deepEqual(readContainerFile(rootfs, '/bin/tool'), { name: 'tool', size: 4, base64: 'dG9vbA==' });
    assert.deepEqual(readContainerFile(rootfs, '/bin/alias').name, 'tool');
    assert.throws(() => readContainerFile(rootfs, '/etc/link'), /no such file \/etc\/secret in the container/);
    assert.throws(() => readContainerFile(rootfs, '../etc/secret'), /no such file \/etc\/secret in the container/);
    assert.throws(() => readContainerFile(rootfs, '/etc'), /\/etc is not a regular file/);
  });
});
