import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stevedore } from '../../../testkit/cli.js';
import { tempDir } from '../../../testkit/tempDir.js';

const root = join(tempDir(), 'store');

describe('container commands go through the engine client', () => {
  it('an empty container name is refused by the contract, as the app and a daemon refuse it', () => {
    // The runtime called directly looked "" up and said "no such container": not the Router's refusal.
    for (const [args, verb, method] of [
      [['rm', '-f', ''], 'remove', 'containers.remove'],
      [['stop', '-t', '0', ''], 'stop', 'containers.stop'],
      [['pause', ''], 'pause', 'containers.pause'],
    ] as const) {
      const r = stevedore(root, [...args]);
      assert.equal(r.code, 1, r.stdout);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        new RegExp(`^error: cannot ${verb} : invalid arguments for ${method.replace('.', '\\.')} \\(id\\): `),
      );
    }
    for (const [args, method] of [
      [['logs', ''], 'containers.logs'],
      [['top', ''], 'containers.top'],
      [['stats', '--no-stream', ''], 'containers.stats'],
    ] as const) {
      const r = stevedore(root, [...args]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, new RegExp(`^error: invalid arguments for ${method.replace('.', '\\.')} \\(`));
    }
  });
});
