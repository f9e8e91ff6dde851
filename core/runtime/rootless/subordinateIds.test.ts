import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { subordinateRange } from './subordinateIds.js';

describe('subordinateRange', () => {
  const file = ['# comment', 'alice:100000:65536', '1002:300000:1000', 'bob:200000:0', 'carol:x:10', ''].join('\n');

  it("finds the user's range by name or by uid, as newuidmap does", () => {
    assert.deepEqual(subordinateRange(file, { name: 'alice', id: 1001 }), { start: 100000, count: 65536 });
    assert.deepEqual(subordinateRange(file, { name: 'dave', id: 1002 }), { start: 300000, count: 1000 });
  });

  it('has none for a user not listed, an empty range, or a line that is not numbers', () => {
    assert.equal(subordinateRange(file, { name: 'eve', id: 1003 }), null);
    assert.equal(subordinateRange(file, { name: 'bob', id: 1004 }), null);
    assert.equal(subordinateRange(file, { name: 'carol', id: 1005 }), null);
    assert.equal(subordinateRange('', { name: 'alice', id: 1001 }), null);
  });
});
