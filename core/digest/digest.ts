import { StevedoreError } from '../errors.js';

/** image-spec descriptor.md: `algorithm ":" encoded`; we verify sha256 and sha512. */
export type Digest = `${DigestAlgorithm}:${string}` & { readonly __brand?: 'Digest' };
export type DigestAlgorithm = 'sha256' | 'sha512';

const encodedLength: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };
const digestPattern = /^(sha256|sha512):([a-f0-9]+)$/;

export function isDigest(value: string): value is Digest {
  const m = digestPattern.exec(value);
  return m !== null && m[2]!.length === encodedLength[m[1] as DigestAlgorithm];
}

export function parseDigest(value: string): Digest {
  if (!isDigest(value)) {
    throw new StevedoreError(
      'INVALID_DIGEST',
      `invalid digest "${value}": expected sha256: followed by 64 lowercase hex characters`,
    );
  }
  return value;
}

export function digestAlgorithm(digest: Digest): DigestAlgorithm {
  return digest.slice(0, digest.indexOf(':')) as DigestAlgorithm;
}

export function digestHex(digest: Digest): string {
  return digest.slice(digest.indexOf(':') + 1);
}
