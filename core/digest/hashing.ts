import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { StevedoreError } from '../errors.js';
import { type Digest, type DigestAlgorithm, digestAlgorithm } from './digest.js';

export function digestOf(data: Uint8Array | string, algorithm: DigestAlgorithm = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}` as Digest;
}

/** What a blob was expected to be; `what` names it in errors ("layer 2 of busybox:latest"). */
export interface BlobExpectation {
  digest?: Digest;
  size?: number;
  what?: string;
}

/** The error for a blob of `bytes` bytes (a lower bound when it was cut off early) that should have `expected.size`. */
export function sizeMismatch(expected: BlobExpectation, bytes: number): StevedoreError {
  return new StevedoreError(
    'SIZE_MISMATCH',
    `size mismatch for ${expected.what ?? expected.digest ?? 'blob'}: expected ${expected.size} bytes, got ${bytes}${bytes > expected.size! ? ' or more' : ''}`,
  );
}

/** Throws DIGEST_MISMATCH when a digest was expected and `actual` is not it. */
export function checkDigest(expected: BlobExpectation, actual: Digest): void {
  if (expected.digest && actual !== expected.digest) {
    throw new StevedoreError(
      'DIGEST_MISMATCH',
      `digest mismatch for ${expected.what ?? 'blob'}: expected ${expected.digest}, got ${actual}`,
    );
  }
}

/**
 * A pass-through stream that hashes and counts what flows through it. With an expectation, it
 * fails the stream before its end is signalled when the size or digest is wrong, so a consumer
 * that commits on 'finish' never commits bad bytes.
 */
export class DigestingStream extends Transform {
  private readonly hash: Hash;
  private readonly algorithm: DigestAlgorithm;
  private bytes = 0;
  private result: Digest | undefined;

  constructor(
    private readonly expected?: BlobExpectation,
    private readonly onBytes?: (done: number) => void,
  ) {
    super();
    this.algorithm = expected?.digest ? digestAlgorithm(expected.digest) : 'sha256';
    this.hash = createHash(this.algorithm);
  }

  get size(): number {
    return this.bytes;
  }

  get digest(): Digest {
    if (!this.result) throw new StevedoreError('INTERNAL', 'digest read before the stream ended');
    return this.result;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    const max = this.expected?.size;
    if (max !== undefined && this.bytes > max) {
      done(sizeMismatch(this.expected!, this.bytes));
      return;
    }
    this.hash.update(chunk);
    this.onBytes?.(this.bytes);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.result = `${this.algorithm}:${this.hash.digest('hex')}` as Digest;
    const exp = this.expected;
    if (exp?.size !== undefined && this.bytes !== exp.size) {
      done(sizeMismatch(exp, this.bytes));
      return;
    }
    try {
      if (exp) checkDigest(exp, this.result);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  }
}
