import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { Scope } from './auth/scope.js';
import type { RegistryClient } from './client.js';
import { isTransientNetworkError } from './errors.js';
import { discard, type HttpResponse, header } from './http.js';

/** Blobs up to this size go in one PUT; larger ones in PATCH chunks, which can be resumed. */
export const MONOLITHIC_MAX = 32 << 20;
export const CHUNK_SIZE = 32 << 20;
const MAX_RESUMES = 5;

export interface UploadTarget {
  client: RegistryClient;
  repository: string;
  scopes: Scope[];
  signal?: AbortSignal;
}

export interface BlobFile {
  digest: Digest;
  size: number;
  path: string;
}

/** Counts the bytes that leave, for progress. */
function counter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _e, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

function locationOf(res: HttpResponse, t: UploadTarget): string {
  const location = header(res.headers, 'location');
  if (!location) throw new StevedoreError('REGISTRY_ERROR', `${t.client.host} started an upload without a Location`);
  return location;
}

/** `POST /v2/<name>/blobs/uploads/`: a new upload session; its Location and the chunk minimum it asks for. */
export async function startUpload(t: UploadTarget): Promise<{ location: string; minChunk: number }> {
  const res = await t.client.request({
    method: 'POST',
    path: `/v2/${t.repository}/blobs/uploads/`,
    scopes: t.scopes,
    ...(t.signal ? { signal: t.signal } : {}),
    context: { repository: t.repository },
    accept: (s) => s === 202,
  });
  discard(res);
  return { location: locationOf(res, t), minChunk: Number(header(res.headers, 'oci-chunk-min-length') ?? 0) || 0 };
}

/** Appends the digest to an upload Location, which may carry its own query (`?_state=…`). */
function withDigest(location: string, digest: Digest): string {
  const [path, query = ''] = location.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set('digest', digest);
  return `${path}?${params.toString()}`;
}

async function finish(t: UploadTarget, location: string, blob: BlobFile, body?: { from: number; onBytes: (n: number) => void }) {
  const res = await t.client.request({
    method: 'PUT',
    path: withDigest(location, blob.digest),
    headers: { 'content-type': 'application/octet-stream' },
    ...(body
      ? {
          body: {
            length: blob.size - body.from,
            open: () => createReadStream(blob.path, { start: body.from, highWaterMark: 1 << 20 }).pipe(counter(body.onBytes)),
          },
        }
      : { body: Buffer.alloc(0) }),
    scopes: t.scopes,
    ...(t.signal ? { signal: t.signal } : {}),
    context: { repository: t.repository, digest: blob.digest },
    accept: (s) => s === 201,
    // A PUT that failed midway may have left bytes in the session: retry from a fresh session instead.
    retry: false,
  });
  discard(res);
  const claimed = header(res.headers, 'docker-content-digest');
  if (claimed && claimed !== blob.digest) {
    throw new StevedoreError('DIGEST_MISMATCH', `${t.client.host} stored blob ${claimed} when sent ${blob.digest}`);
  }
}

/** `GET <location>`: how many bytes the registry has (the Range `0-<last>`), to resume a chunked upload. */
async function uploadedBytes(t: UploadTarget, location: string): Promise<number> {
  const res = await t.client.request({
    method: 'GET',
    path: location,
    scopes: t.scopes,
    ...(t.signal ? { signal: t.signal } : {}),
    context: { repository: t.repository },
    accept: (s) => s === 204,
  });
  discard(res);
  const m = /^(?:bytes=)?0-(\d+)$/.exec(header(res.headers, 'range') ?? '');
  return m ? Number(m[1]) + 1 : 0;
}

/**
 * Uploads one blob from the store into a session. Small blobs: one monolithic PUT (retried in a
 * new session). Large ones: PATCH chunks of at least the registry's OCI-Chunk-Min-Length with
 * Content-Range; after a dropped chunk the upload status says where to go on from.
 */
export async function uploadBlob(
  t: UploadTarget,
  blob: BlobFile,
  session: { location: string; minChunk: number },
  onProgress: (bytesDone: number) => void,
): Promise<void> {
  let sent = 0;
  const onBytes = (n: number) => {
    sent += n;
    onProgress(sent);
  };
  if (blob.size <= MONOLITHIC_MAX && session.minChunk <= blob.size) {
    let current = session;
    for (let attempt = 0; ; attempt++) {
      try {
        sent = 0;
        await finish(t, current.location, blob, { from: 0, onBytes });
        return;
      } catch (err) {
        if (t.signal?.aborted || attempt >= MAX_RESUMES || !retryable(err)) throw err;
        current = await startUpload(t);
      }
    }
  }
  const chunk = Math.max(CHUNK_SIZE, session.minChunk);
  let location = session.location;
  let offset = 0;
  let resumes = 0;
  while (offset < blob.size) {
    const end = Math.min(offset + chunk, blob.size) - 1;
    try {
      sent = offset;
      const start = offset;
      const res = await t.client.request({
        method: 'PATCH',
        path: location,
        headers: { 'content-type': 'application/octet-stream', 'content-range': `${start}-${end}` },
        body: {
          length: end - start + 1,
          open: () => createReadStream(blob.path, { start, end, highWaterMark: 1 << 20 }).pipe(counter(onBytes)),
        },
        scopes: t.scopes,
        ...(t.signal ? { signal: t.signal } : {}),
        context: { repository: t.repository, digest: blob.digest },
        accept: (s) => s === 202,
        retry: false,
      });
      discard(res);
      location = header(res.headers, 'location') ?? location;
      offset = end + 1;
    } catch (err) {
      if (t.signal?.aborted || resumes >= MAX_RESUMES || !retryable(err)) throw err;
      resumes++;
      try {
        offset = await uploadedBytes(t, location);
      } catch (statusErr) {
        if (t.signal?.aborted) throw statusErr;
        // The session is lost (distribution refuses a Location whose state lags the bytes it kept): start over.
        ({ location } = await startUpload(t));
        offset = 0;
      }
    }
  }
  await finish(t, location, blob);
}

function retryable(err: unknown): boolean {
  if (isTransientNetworkError(err) || isTransientNetworkError((err as Error).cause)) return true;
  const code = (err as StevedoreError).code;
  return code === 'UNREACHABLE' || (code === 'REGISTRY_ERROR' && /HTTP 5\d\d/.test((err as Error).message));
}
