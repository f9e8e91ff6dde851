import type { z } from 'zod';
import { StevedoreError } from '../errors.js';
import { type ImageConfig, imageConfigSchema } from './config.js';
import { type ImageIndex, indexSchema, type Manifest, manifestSchema } from './manifest.js';
import { isIndexMediaType, isManifestMediaType, isSchema1MediaType, MediaType } from './mediaTypes.js';

export type ParsedDocument =
  | { kind: 'index'; mediaType: string; index: ImageIndex }
  | { kind: 'manifest'; mediaType: string; manifest: Manifest };

function parseJson(bytes: Uint8Array | string, what: string): unknown {
  try {
    return JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new StevedoreError('INVALID_MANIFEST', `${what} is not valid JSON`);
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const at = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${at}${issue.message}`;
}

export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new StevedoreError('INVALID_MANIFEST', `invalid ${what}: ${firstIssue(result.error)}`);
  }
  return result.data;
}

/**
 * Reads a manifest or an index. The media type comes from the descriptor that pointed here, else
 * from the document's own mediaType field, else from its shape (image-spec allows it unset).
 */
export function parseDocument(bytes: Uint8Array | string, descriptorMediaType?: string, what = 'manifest'): ParsedDocument {
  const json = parseJson(bytes, what);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new StevedoreError('INVALID_MANIFEST', `invalid ${what}: not a JSON object`);
  }
  const doc = json as Record<string, unknown>;
  const own = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  if (doc.schemaVersion === 1 || isSchema1MediaType(own) || isSchema1MediaType(descriptorMediaType)) {
    throw new StevedoreError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Docker image manifest schema 1 is not supported (deprecated since 2017); re-push the image with a current tool',
    );
  }
  if (descriptorMediaType && own && descriptorMediaType !== own) {
    throw new StevedoreError(
      'INVALID_MANIFEST',
      `invalid ${what}: its mediaType ${own} differs from the descriptor's ${descriptorMediaType}`,
    );
  }
  const mediaType = descriptorMediaType ?? own ?? (Array.isArray(doc.manifests) ? MediaType.ociIndex : MediaType.ociManifest);
  if (isIndexMediaType(mediaType)) {
    return { kind: 'index', mediaType, index: validate(indexSchema, doc, `${what} (index)`) };
  }
  if (isManifestMediaType(mediaType)) {
    return { kind: 'manifest', mediaType, manifest: validate(manifestSchema, doc, what) };
  }
  throw new StevedoreError('UNSUPPORTED_MEDIA_TYPE', `unsupported ${what} media type ${mediaType}`);
}

export function parseConfig(bytes: Uint8Array | string): ImageConfig {
  return validate(imageConfigSchema, parseJson(bytes, 'image config'), 'image config');
}

/** A manifest and its config must agree on how many layers there are. */
export function checkLayersMatchConfig(manifest: Manifest, config: ImageConfig): void {
  const layers = manifest.layers.length;
  const diffIds = config.rootfs.diff_ids.length;
  if (layers !== diffIds) {
    throw new StevedoreError(
      'INVALID_MANIFEST',
      `invalid image: the manifest lists ${layers} layers but the config's rootfs has ${diffIds} diff_ids`,
    );
  }
}

/**
 * Documents in the store were validated when they came in (load, pull), and blobs never change:
 * reading one back needs only JSON.parse and a check of its shape, which keeps listing thousands
 * of images fast. Anything that does not look right goes through full validation, for its message.
 */
export function parseStoredDocument(bytes: Uint8Array, mediaType: string, what: string): ParsedDocument {
  const doc = tryJson(bytes);
  if (doc && isIndexMediaType(mediaType) && Array.isArray(doc.manifests)) {
    return { kind: 'index', mediaType, index: doc as ImageIndex };
  }
  if (
    doc &&
    isManifestMediaType(mediaType) &&
    Array.isArray(doc.layers) &&
    typeof (doc.config as { digest?: unknown })?.digest === 'string'
  ) {
    return { kind: 'manifest', mediaType, manifest: doc as Manifest };
  }
  return parseDocument(bytes, mediaType, what);
}

export function parseStoredConfig(bytes: Uint8Array): ImageConfig {
  const doc = tryJson(bytes);
  const rootfs = doc?.rootfs as { diff_ids?: unknown } | undefined;
  if (doc && typeof doc.os === 'string' && typeof doc.architecture === 'string' && Array.isArray(rootfs?.diff_ids)) {
    return doc as ImageConfig;
  }
  return parseConfig(bytes);
}

function tryJson(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
