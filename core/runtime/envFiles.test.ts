import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { withEnvFiles } from './envFiles.js';

describe('withEnvFiles', () => {
  const dir = tempDir('stevedore-env-files-');

  it('puts the files’ KEY=VALUE lines before env, skipping comments, blanks and bare names', async () => {
    const file = join(dir, 'a.env');
    writeFileSync(file, '# c\nA=1\r\n\n  B = two \nBARE\nC=x=y\n');
    const request = await withEnvFiles({ image: 'x', env: ['A=9'], envFiles: [file] });
    assert.deepEqual(request, { image: 'x', env: ['A=1', 'B = two', 'C=x=y', 'A=9'] });
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
