import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { Scope } from './auth/scope.js';
import type { RegistryClient } from './client.js';
import { isTransientNetworkError, networkError } from './errors.js';
import { cancelled, type HttpResponse, header } from './http.js';

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
 * the bytes already had are skipped. The response's chunks are handed on as they come, and the
 * consumer's backpressure pauses the response.
 */
class BlobStream extends Readable {
  private body: IncomingMessage | undefined;
  private started = false;
  /** Bytes handed on so far: where a resumed download starts. */
  private done = 0;
  private resumes = 0;

  constructor(
    private readonly client: RegistryClient,
    private readonly repository: string,
    private readonly digest: Digest,
    private readonly options: BlobStreamOptions,
  ) {
    super({ highWaterMark: 1 << 20 });
  }

  override _read(): void {
    if (!this.started) {
      this.started = true;
      void this.fetch();
    } else this.body?.resume();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    const body = this.body;
    this.body = undefined;
    body?.destroy();
    callback(err);
  }

  private async fetch(): Promise<void> {
    const { client, repository, digest, options } = this;
    const done = this.done;
    let res: HttpResponse;
    try {
      res = await client.request({
        method: 'GET',
        path: `/v2/${repository}/blobs/${digest}`,
        headers: done > 0 ? { range: `bytes=${done}-` } : {},
        scopes: options.scopes,
        ...(options.signal ? { signal: options.signal } : {}),
        context: { repository, digest },
      });
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    if (this.destroyed) {
      res.body.destroy();
      return;
    }
    const claimed = header(res.headers, 'docker-content-digest');
    if (claimed && claimed !== digest) {
      res.body.destroy();
      this.destroy(
        new StevedoreError('DIGEST_MISMATCH', `${client.host}/${repository} sent blob ${claimed} when asked for ${digest}`),
      );
      return;
    }
    let skip = 0;
    if (done > 0) {
      if (res.status === 206) {
        const start = rangeStart(header(res.headers, 'content-range'));
        if (start !== done) {
          res.body.destroy();
          this.destroy(
            new StevedoreError('REGISTRY_ERROR', `${client.host} resumed blob ${digest} at byte ${start}, not ${done}`),
          );
          return;
        }
      } else skip = done;
    }
    const body = res.body;
    this.body = body;
    let over = false;
    const detach = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('close', onClose);
      if (this.body === body) this.body = undefined;
    };
    const onData = (chunk: Buffer) => {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        return;
      }
      const part = skip > 0 ? chunk.subarray(skip) : chunk;
      skip = 0;
      this.done += part.length;
      if (!this.push(part)) body.pause();
    };
    const onEnd = () => {
      over = true;
      detach();
      this.push(null);
    };
    const onFailure = (err: unknown) => {
      if (over || this.destroyed) return;
      over = true;
      detach();
      body.destroy();
      if (options.signal?.aborted) this.destroy(cancelled());
      else if (!isTransientNetworkError(err) || this.resumes >= (options.maxResumes ?? 5)) {
        this.destroy(networkError(err, client.host));
      } else {
        this.resumes++;
        options.onResume?.(this.done);
        void this.fetch();
      }
    };
    // Closed before its end without an error: the rest is still to come.
    const onClose = () => onFailure(Object.assign(new Error('premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('close', onClose);
    // Kept after the end too: a late error from the socket is not an uncaught one.
    body.on('error', onFailure);
  }
}

export function openBlobStream(client: RegistryClient, repository: string, digest: Digest, options: BlobStreamOptions): Readable {
  return new BlobStream(client, repository, digest, options);
}
