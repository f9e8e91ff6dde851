import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stevedore } from '../../../testkit/cli.js';
import { tempDir } from '../../../testkit/tempDir.js';

const root = join(tempDir(), 'store');

describe('network commands go through the engine client', () => {
  it('network rm -f of an empty name is refused by the contract, as the app and a daemon refuse it', () => {
    const before = stevedore(root, ['network', 'ls', '--format', '{{.Name}}']).stdout;
    // The engine called directly took "" for a missing network, which -f forgives: exit 0.
    const r = stevedore(root, ['network', 'rm', '-f', '']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /^error: invalid arguments for networks\.remove \(ref\): /);
    assert.equal(stevedore(root, ['network', 'ls', '--format', '{{.Name}}']).stdout, before);
  });
});
