import { Readable } from 'node:stream';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { Scope } from './auth/scope.js';
import type { RegistryClient } from './client.js';
import { isTransientNetworkError, networkError } from './errors.js';
import { cancelled, header } from './http.js';

export interface BlobStreamOptions {
  scopes: Scope[];
  signal?: AbortSignal;
  /** How many times a dropped download is resumed (default 5). */
  maxResumes?: number;
  onResume?: (offset: number) => void;
}

/** The start of a `Content-Range: bytes start-end/size` answer. */
function rangeStart(value: string | undefined): number | undefined {
  const m = /^bytes\s+(\d+)-/.exec(value ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * A blob's bytes from `GET /v2/<name>/blobs/<digest>` as one stream. When the connection drops
 * midway the download resumes where it stopped with `Range: bytes=<done>-`; the consumer (which
 * hashes as bytes flow) sees one uninterrupted stream. A registry that ignores Range answers 200:
 * the bytes already had are skipped.
 */
export function openBlobStream(client: RegistryClient, repository: string, digest: Digest, options: BlobStreamOptions): Readable {
  const maxResumes = options.maxResumes ?? 5;
  async function* chunks(): AsyncGenerator<Buffer> {
    let done = 0;
    let resumes = 0;
    for (;;) {
      const res = await client.request({
        method: 'GET',
        path: `/v2/${repository}/blobs/${digest}`,
        headers: done > 0 ? { range: `bytes=${done}-` } : {},
        scopes: options.scopes,
        ...(options.signal ? { signal: options.signal } : {}),
        context: { repository, digest },
      });
      const claimed = header(res.headers, 'docker-content-digest');
      if (claimed && claimed !== digest) {
        res.body.destroy();
        throw new StevedoreError('DIGEST_MISMATCH', `${client.host}/${repository} sent blob ${claimed} when asked for ${digest}`);
      }
      let skip = 0;
      if (done > 0) {
        if (res.status === 206) {
          const start = rangeStart(header(res.headers, 'content-range'));
          if (start !== done) {
            res.body.destroy();
            throw new StevedoreError('REGISTRY_ERROR', `${client.host} resumed blob ${digest} at byte ${start}, not ${done}`);
          }
        } else skip = done;
      }
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          if (skip >= chunk.length) {
            skip -= chunk.length;
            continue;
          }
          const part = skip > 0 ? chunk.subarray(skip) : chunk;
          skip = 0;
          done += part.length;
          yield part;
        }
        return;
      } catch (err) {
        if (options.signal?.aborted) throw cancelled();
        if (!isTransientNetworkError(err) || resumes >= maxResumes) throw networkError(err, client.host);
        resumes++;
        options.onResume?.(done);
      }
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 << 20 });
}
