import type { Digest } from '../digest/digest.js';
import { digestAlgorithm } from '../digest/digest.js';
import { digestOf } from '../digest/hashing.js';
import { StevedoreError } from '../errors.js';
import type { Descriptor } from '../oci/descriptor.js';
import { isIndexMediaType, isManifestMediaType, isSchema1MediaType, MediaType } from '../oci/mediaTypes.js';
import type { Scope } from './auth/scope.js';
import type { RegistryClient } from './client.js';
import { header, readBody } from './http.js';

/** Both OCI's and Docker's manifest and index types: the registry answers with whichever it holds. */
export const MANIFEST_ACCEPT = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
].join(', ');

/** distribution-spec: registries should accept manifests of at least 4 MiB; larger ones are refused here. */
const MAX_MANIFEST_BYTES = 4 << 20;

export interface FetchedManifest {
  descriptor: Descriptor;
  bytes: Buffer;
}

function mediaTypeOf(contentType: string | undefined, bytes: Buffer): string {
  const type = contentType?.split(';')[0]?.trim();
  if (type && (isIndexMediaType(type) || isManifestMediaType(type) || isSchema1MediaType(type))) return type;
  try {
    const own = (JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown; manifests?: unknown }) ?? {};
    if (typeof own.mediaType === 'string') return own.mediaType;
    return Array.isArray(own.manifests) ? MediaType.ociIndex : MediaType.ociManifest;
  } catch {
    return type || MediaType.ociManifest;
  }
}

/**
 * `GET /v2/<name>/manifests/<reference>`: the exact bytes, their digest, and the digest checked
 * against the one asked for and the registry's own `Docker-Content-Digest`.
 */
export async function fetchManifest(
  client: RegistryClient,
  repository: string,
  reference: string,
  scopes: Scope[],
  signal?: AbortSignal,
): Promise<FetchedManifest> {
  const res = await client.request({
    method: 'GET',
    path: `/v2/${repository}/manifests/${reference}`,
    headers: { accept: MANIFEST_ACCEPT },
    scopes,
    ...(signal ? { signal } : {}),
    context: { repository, reference },
  });
  const bytes = await readBody(res, MAX_MANIFEST_BYTES);
  const asked = reference.includes(':') ? (reference as Digest) : undefined;
  const digest = digestOf(bytes, asked ? digestAlgorithm(asked) : 'sha256');
  if (asked && digest !== asked) {
    throw new StevedoreError(
      'DIGEST_MISMATCH',
      `${client.host}/${repository} sent a manifest hashing to ${digest} when asked for ${asked}`,
    );
  }
  const claimed = header(res.headers, 'docker-content-digest');
  if (claimed?.startsWith(`${digest.slice(0, digest.indexOf(':'))}:`) && claimed !== digest) {
    throw new StevedoreError(
      'DIGEST_MISMATCH',
      `${client.host}/${repository}:${reference}: the registry says the manifest is ${claimed}, but its bytes hash to ${digest}`,
    );
  }
  return {
    descriptor: { mediaType: mediaTypeOf(header(res.headers, 'content-type'), bytes), digest, size: bytes.length },
    bytes,
  };
}
