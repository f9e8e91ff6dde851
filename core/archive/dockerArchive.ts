import { z } from 'zod';
import type { Digest } from '../digest/digest.js';
import { digestOf } from '../digest/hashing.js';
import { StevedoreError } from '../errors.js';
import type { Descriptor } from '../oci/descriptor.js';
import { validate } from '../oci/document.js';
import { MediaType } from '../oci/mediaTypes.js';

/** `docker save`'s manifest.json: one entry per image, paths into the archive. */
export const dockerArchiveManifestSchema = z.array(
  z.looseObject({
    Config: z.string().min(1),
    RepoTags: z.array(z.string()).nullish(),
    Layers: z.array(z.string()),
  }),
);
export type DockerArchiveManifest = z.infer<typeof dockerArchiveManifestSchema>;

export function parseDockerArchiveManifest(bytes: Uint8Array): DockerArchiveManifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new StevedoreError('INVALID_ARCHIVE', "the archive's manifest.json is not valid JSON");
  }
  return validate(dockerArchiveManifestSchema, json, 'docker archive manifest.json');
}

export interface ArchivedFile {
  digest: Digest;
  size: number;
  /** gzip and zstd layers keep their compression; this says which. */
  compression: 'none' | 'gzip' | 'zstd';
}

function layerMediaType(compression: ArchivedFile['compression']): string {
  if (compression === 'gzip') return MediaType.ociLayerGzip;
  if (compression === 'zstd') return MediaType.ociLayerZstd;
  return MediaType.ociLayer;
}

/**
 * A docker-archive entry has no manifest of its own: make the OCI manifest it implies, from the
 * config and layer files as they sit in the archive (compressed or not).
 */
export function manifestForDockerEntry(config: ArchivedFile, layers: ArchivedFile[]): { bytes: Buffer; descriptor: Descriptor } {
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: config.digest, size: config.size },
    layers: layers.map((l) => ({ mediaType: layerMediaType(l.compression), digest: l.digest, size: l.size })),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { bytes, descriptor: { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length } };
}
