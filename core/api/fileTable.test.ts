import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fileChangesOf, toFileTable } from './fileTable.js';
import { type FileChange, layerTree } from './layers.schema.js';

const changes: FileChange[] = [
  { path: 'etc', type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, change: 'modified' },
  { path: 'etc/hosts', type: 'file', size: 12, mode: 0o644, uid: 0, gid: 0, hash: 'ab'.repeat(32), change: 'added' },
  {
    path: 'etc/localtime',
    type: 'symlink',
    size: 0,
    mode: 0o777,
    uid: 1,
    gid: 2,
    linkname: '/usr/share/zoneinfo/UTC',
    change: 'added',
  },
  { path: 'tmp/gone', type: 'file', size: 3, mode: 0o600, uid: 0, gid: 0, hash: 'cd'.repeat(32), change: 'removed' },
];

it('a layer tree crosses the wire as a table and reads back as the same changes', () => {
  const sent = JSON.parse(JSON.stringify({ layer: 0, scope: 'layer', files: toFileTable(changes) }));
  const received = layerTree.parse(sent);
  assert.deepEqual(fileChangesOf(received.files), changes);
});

it('refuses a table with a wrong value or columns of different lengths, naming the column', () => {
  const good = toFileTable(changes);
  const wrongType = layerTree.safeParse({ layer: 0, scope: 'layer', files: { ...good, type: ['dir', 'file', 'fifo?', 'file'] } });
  assert.equal(wrongType.success, false);
  assert.deepEqual(wrongType.error?.issues[0]?.path, ['files', 'type']);
  const wrongSize = layerTree.safeParse({ layer: 0, scope: 'layer', files: { ...good, size: [0, '12', 0, 3] } });
  assert.deepEqual(wrongSize.error?.issues[0]?.path, ['files', 'size']);
  const short = layerTree.safeParse({ layer: 0, scope: 'layer', files: { ...good, hash: good.hash.slice(1) } });
  assert.equal(short.success, false);
  assert.match(short.error?.issues[0]?.message ?? '', /differ in length/);
});
