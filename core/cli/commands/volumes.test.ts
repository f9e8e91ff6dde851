import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stevedore } from '../../../testkit/cli.js';
import { tempDir } from '../../../testkit/tempDir.js';

const root = join(tempDir(), 'store');

describe('volume commands go through the engine client', () => {
  it('volume rm -f of an empty name is refused by the contract, as the app and a daemon refuse it', () => {
    assert.equal(stevedore(root, ['volume', 'create', 'kept']).code, 0);
    // The engine called directly took "" for a missing volume, which -f forgives: exit 0, nothing said.
    const r = stevedore(root, ['volume', 'rm', '-f', '']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /^error: invalid arguments for volumes\.remove \(name\): /);
    assert.equal(stevedore(root, ['volume', 'ls', '-q']).stdout, 'kept\n');
  });
});
