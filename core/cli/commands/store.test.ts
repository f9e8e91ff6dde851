import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stevedore } from '../../../testkit/cli.js';
import { tempDir } from '../../../testkit/tempDir.js';

const root = join(tempDir(), 'store');

describe('store commands go through the engine client', () => {
  it('dag of an empty name is refused by the contract, as the app and a daemon refuse it', () => {
    // The engine called directly took "" for no name at all and printed the whole store's DAG, exit 0.
    const r = stevedore(root, ['dag', '']);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: invalid arguments for images\.dag \(ref\): /);
  });

  it('info, gc and fsck answer as before', () => {
    assert.match(
      stevedore(root, ['info']).stdout,
      /^Version: {3}.*\nStore: {5}.*\nPlatform: {2}.*\nRuntime: {3}\w+ \(.*\)\nEngine: {4}this command's own \(pid \d+; no engine serves the store\)\n$/,
    );
    assert.equal(stevedore(root, ['gc', '--dry-run']).stdout, 'Would reclaim 0B in 0 blobs\n');
    const fsck = stevedore(root, ['fsck']);
    assert.equal(fsck.code, 0, fsck.stderr);
    assert.equal(fsck.stdout, '0 blobs checked, 0 problems\n');
  });
});
