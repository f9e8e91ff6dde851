import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLabelFlags } from './labelFlags.js';

describe('--label flags as docker reads them', () => {
  it('takes KEY=VALUE, a bare KEY as empty, a value with = in it, the last of a key', () => {
    assert.deepEqual(parseLabelFlags(['a=1', 'b', 'c=x=y', 'a=2']), { a: '2', b: '', c: 'x=y' });
  });
  it('refuses a label without a key in one line', () => {
    assert.throws(() => parseLabelFlags(['=x']), { message: 'invalid label "=x": the key is empty' });
  });
});
