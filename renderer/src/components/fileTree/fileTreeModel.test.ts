import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileChange } from '../../../../core/api/layers.schema';
import { buildFileTree } from './fileTreeModel';

const file = (path: string, size = 1, change: FileChange['change'] = 'added'): FileChange => ({
  path,
  type: 'file',
  size,
  mode: 0o644,
  uid: 0,
  gid: 0,
  change,
});
const dir = (path: string): FileChange => ({ path, type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, change: 'added' });
const rows = (entries: FileChange[]) =>
  buildFileTree(entries).map(
    (n) => `${'  '.repeat(n.depth)}${n.name}${n.isDir ? '/' : ''} ${n.size}${n.entry ? '' : ' (implied)'}`,
  );

test('a flat list becomes a tree: directories first, then names, implied directories made, sizes summed', () => {
  const entries = [file('usr/bin/b', 2), file('a-b', 3), file('usr/bin/a', 4), dir('usr'), file('a/z', 5), file('usr/lib/x', 6)];
  assert.deepEqual(rows(entries), [
    'a/ 5 (implied)',
    '  z 5',
    'usr/ 12',
    '  bin/ 6 (implied)',
    '    a 4',
    '    b 2',
    '  lib/ 6 (implied)',
    '    x 6',
    'a-b 3',
  ]);
});

test('paths with empty parts name the same nodes; a path removed and made again shows what is there now', () => {
  const entries = [file('etc//hosts', 1, 'removed'), file('etc/hosts', 7), file('/etc/passwd', 2), file('etc/', 0)];
  const nodes = buildFileTree(entries);
  assert.deepEqual(
    nodes.map((n) => [n.path, n.parent, n.end, n.entry?.change ?? null]),
    [
      ['etc', -1, 3, 'added'],
      ['etc/hosts', 0, 2, 'added'],
      ['etc/passwd', 0, 3, 'added'],
    ],
  );
  assert.equal(nodes[1]?.size, 7);
});
