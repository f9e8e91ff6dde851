import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptedOrThrow, isStevedoreError } from './errors.js';

describe('acceptedOrThrow', () => {
  it('gives what a parser read', () => {
    assert.equal(acceptedOrThrow({ ok: true, value: 42 }), 42);
  });

  it('throws its refusal as INVALID_ARGUMENT, the sentence unchanged', () => {
    assert.throws(
      () => acceptedOrThrow({ ok: false, message: 'invalid port "x": why' }),
      (err: unknown) => isStevedoreError(err) && err.code === 'INVALID_ARGUMENT' && err.message === 'invalid port "x": why',
    );
  });
});
