import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { withEnvFiles } from './envFiles.js';

describe('withEnvFiles', () => {
  const dir = tempDir('stevedore-env-files-');

  // The format itself (docker's rules) is core/api/envFileFormat.test.ts's.
  it('puts the files’ lines before env, in order, leaving out bare names (the engine has no caller’s environment)', async () => {
    const [a, b] = [join(dir, 'a.env'), join(dir, 'b.env')];
    writeFileSync(a, '# c\nA=1\nPATH\n');
    writeFileSync(b, 'B="two" \n');
    const request = await withEnvFiles({ image: 'x', env: ['A=9'], envFiles: [a, b] });
    assert.deepEqual(request, { image: 'x', env: ['A=1', 'B="two" ', 'A=9'] });
  });

  it('refuses a file docker refuses, naming it and the line', async () => {
    const file = join(dir, 'bad.env');
    writeFileSync(file, 'A=1\nB = two\n');
    await assert.rejects(withEnvFiles({ image: 'x', envFiles: [file] }), {
      code: 'INVALID_ARGUMENT',
      message: `the env file ${file}, line 2: variable 'B ' contains whitespace`,
    });
  });

  it('leaves a request without files as it is', async () => {
    const request = { image: 'x', env: ['A=1'] };
    assert.equal(await withEnvFiles(request), request);
  });

  it('refuses a relative path, a missing file and what is not a regular file (a FIFO does not hang it)', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const cases: [string, string][] = [
      ['a.env', "the env file a.env must be a full path: it is read on the engine's machine"],
      [join(dir, 'none.env'), `cannot read the env file ${join(dir, 'none.env')}: ENOENT`],
      [fifo, `cannot read the env file ${fifo}: not a regular file`],
      [dir, `cannot read the env file ${dir}: not a regular file`],
    ];
    for (const [path, message] of cases) {
      await assert.rejects(withEnvFiles({ image: 'x', envFiles: [path] }), { message }, path);
    }
  });
});
