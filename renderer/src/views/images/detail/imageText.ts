import type { ImageDetail } from '../../../../../core/api/images.schema';

type Platform = ImageDetail['platform'];

export function platformLabel(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * A layer's media type in a few words: who defined it and how it is compressed
 * ("OCI, gzip", "Docker, uncompressed"); the full type goes in the tooltip.
 */
export function layerFormat(mediaType: string): string {
  const vendor = mediaType.includes('vnd.docker.') ? 'Docker' : mediaType.includes('vnd.oci.') ? 'OCI' : 'Other';
  const compression = /zstd$/.test(mediaType) ? 'zstd' : /gzip$/.test(mediaType) ? 'gzip' : 'uncompressed';
  const foreign = /nondistributable|foreign/.test(mediaType) ? ', foreign' : '';
  return `${vendor}, ${compression}${foreign}`;
}

/**
 * Docker writes RUN steps as `/bin/sh -c #(nop) CMD ["sh"]` or `/bin/sh -c apk add …`; people
 * read the instruction, so the shell prefix goes (the full text stays in the tooltip).
 */
export function historyCommand(createdBy: string): string {
  return createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .trim();
}

/** `["/bin/sh","-c","echo hi"]`, the exec form a Dockerfile would use; null when unset. */
export function execForm(args: string[] | null): string | null {
  return args === null ? null : JSON.stringify(args);
}

/** ENV entries are KEY=VALUE; a bare KEY is legal and means an empty value. */
export function splitEnv(entry: string): [string, string] {
  const at = entry.indexOf('=');
  return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
}

/** The stored documents, indented for reading; as stored if they are somehow not JSON. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
