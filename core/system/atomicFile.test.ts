import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { writeFileAtomic } from './atomicFile.js';

test('a file written atomically replaces the old one whole and leaves nothing else beside it', () => {
  const dir = tempDir();
  const path = join(dir, 'settings.json');
  writeFileSync(path, 'old');
  writeFileAtomic(path, '{"new":true}');
  writeFileAtomic(join(dir, 'cache.bin'), Buffer.from([0, 1, 2]), { durable: false });
  assert.equal(readFileSync(path, 'utf8'), '{"new":true}');
  assert.deepEqual(readFileSync(join(dir, 'cache.bin')), Buffer.from([0, 1, 2]));
  assert.deepEqual(readdirSync(dir).sort(), ['cache.bin', 'settings.json']);
});

test('a secret is written with the mode asked, whatever the umask', () => {
  const dir = tempDir();
  const path = join(dir, 'token');
  const umask = process.umask(0);
  try {
    writeFileAtomic(path, 'secret\n', { mode: 0o600 });
  } finally {
    process.umask(umask);
  }
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('a write that fails throws and leaves no temp file', () => {
  const dir = tempDir();
  // The name is a directory: the rename fails after the temp file was written.
  mkdirSync(join(dir, 'taken'));
  assert.throws(() => writeFileAtomic(join(dir, 'taken'), 'x'), { code: 'EISDIR' });
  assert.deepEqual(readdirSync(dir), ['taken']);
  assert.throws(() => writeFileAtomic(join(dir, 'missing', 'file'), 'x'), { code: 'ENOENT' });
});
