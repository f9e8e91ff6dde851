import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { isStevedoreError } from '../errors.js';
import { isDigest, parseDigest } from './digest.js';
import { DigestingStream, digestOf } from './hashing.js';

const sink = () => new Writable({ write: (_c, _e, done) => done() });
const hello = digestOf('hello');

describe('digests', () => {
  it('accepts sha256 and sha512 in their canonical form only', () => {
    assert.equal(hello, 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    assert.ok(isDigest(hello));
    assert.ok(isDigest(digestOf('hello', 'sha512')));
    assert.ok(!isDigest(hello.toUpperCase()));
    assert.ok(!isDigest(hello.slice(0, -1)));
    assert.ok(!isDigest(`md5:${'a'.repeat(32)}`));
  });

  it('explains what a digest must look like when one is wrong', () => {
    assert.throws(
      () => parseDigest('sha256:xyz'),
      (err) => isStevedoreError(err) && /64 lowercase hex/.test(err.message),
    );
  });

  it('fails a stream whose bytes do not match the expected digest, before it finishes', async () => {
    const wrong = digestOf('something else');
    await assert.rejects(
      pipeline(Readable.from([Buffer.from('hello')]), new DigestingStream({ digest: wrong, size: 5 }), sink()),
      (err) => isStevedoreError(err) && err.code === 'DIGEST_MISMATCH' && err.message.includes(wrong),
    );
  });

  it('fails a stream that is longer or shorter than expected', async () => {
    await assert.rejects(
      pipeline(Readable.from([Buffer.from('hello!')]), new DigestingStream({ digest: hello, size: 5 }), sink()),
      (err) => isStevedoreError(err) && err.code === 'SIZE_MISMATCH',
    );
    await assert.rejects(
      pipeline(Readable.from([Buffer.from('hell')]), new DigestingStream({ digest: hello, size: 5 }), sink()),
      (err) => isStevedoreError(err) && err.code === 'SIZE_MISMATCH',
    );
  });

  it('reports the digest and size of what flowed through', async () => {
    const hasher = new DigestingStream({ digest: hello, size: 5 });
    await pipeline(Readable.from([Buffer.from('he'), Buffer.from('llo')]), hasher, sink());
    assert.equal(hasher.digest, hello);
    assert.equal(hasher.size, 5);
  });
});
