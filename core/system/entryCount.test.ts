import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { hasFewerEntries } from './entryCount.js';

describe('hasFewerEntries', () => {
  it('counts every entry of the tree, at any depth, without following links', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'a', 'b', 'f'), '');
    symlinkSync('/', join(dir, 'root'));
    // a, a/b, a/b/f, root: four.
    assert.equal(hasFewerEntries(dir, 5), true);
    assert.equal(hasFewerEntries(dir, 4), false);
  });

  it('says no for a tree it cannot read', () => {
    assert.equal(hasFewerEntries(join(tempDir(), 'missing'), 100), false);
  });
});
