import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStevedoreError } from '../errors.js';
import { safeLinkTarget } from './entryPath.js';

describe('archive link targets', () => {
  it('refuses a target that climbs out of the archive', () => {
    for (const target of ['../x', '../../etc/passwd', '..', 'a/../../x', '/etc/passwd']) {
      assert.throws(() => safeLinkTarget('link', target, false), isStevedoreError, target);
    }
  });

  it('accepts names that only begin with dots', () => {
    assert.equal(safeLinkTarget('blobs/link', '...x', false), 'blobs/...x');
    assert.equal(safeLinkTarget('link', '..x', false), '..x');
    assert.equal(safeLinkTarget('a/link', '..x', true), '..x');
  });
});
