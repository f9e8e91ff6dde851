import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEnginePath } from './enginePath';

test('a path for Load or Save is a full one on the engine’s machine', () => {
  assert.equal(checkEnginePath('/home/me/app.tar', 'archive'), null);
  assert.equal(checkEnginePath('  /tmp/x.tar ', 'archive'), null);
  assert.equal(checkEnginePath('C:\\images\\app.tar', 'archive'), null);
  assert.match(checkEnginePath('app.tar', 'archive') ?? '', /full path, starting with \//);
  assert.match(checkEnginePath('./app.tar', 'file') ?? '', /the file is on the engine’s machine/);
  assert.match(checkEnginePath(' ', 'archive') ?? '', /Type the archive’s full path/);
});
