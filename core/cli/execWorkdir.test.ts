import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { tempDir } from '../../testkit/tempDir.js';

const work = tempDir();
const root = join(work, 'store');

describe('exec -w DIR that is not in the container', () => {
  before(async () => {
    await loadBoxImage(root, work);
    const r = stevedore(root, ['run', '-d', '--name', 'wd', 'box:v1', 'sleep', '600']);
    assert.equal(r.code, 0, r.stderr);
  });

  after(() => {
    stevedore(root, ['rm', '-f', 'wd']);
  });

  it('fails as docker’s exec does: 126 (the command could not be started), runc’s reason in one error line', () => {
    const r = stevedore(root, ['exec', '-w', '/nonexistent', 'wd', 'true']);
    assert.equal(r.code, 126);
    assert.equal(
      r.stderr,
      'error: exec failed: unable to start container process: chdir to cwd ("/nonexistent") set in config.json failed: no such file or directory\n',
    );
    assert.equal(stevedore(root, ['exec', '-w', '/etc', 'wd', 'true']).code, 0, 'an existing one works');
  });
});
