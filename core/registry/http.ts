import { type Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { StevedoreError } from '../errors.js';

/** A request body: bytes, or a factory of streams so that a retry can send it again. */
export type Body = Buffer | { length: number; open: () => Readable };

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Body;
  agent: HttpAgent | HttpsAgent;
  signal?: AbortSignal;
  /** Give up when no byte arrives for this long. */
  idleTimeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  url: URL;
  /** The body, unread. Read it, or call `discard`, to free the connection. */
  body: IncomingMessage;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function cancelled(): StevedoreError {
  return new StevedoreError('CANCELLED', 'cancelled');
}

/** One HTTP exchange with node's own client: no redirects, no retries; a response is returned whatever its status. */
export function send(req: HttpRequest): Promise<HttpResponse> {
  if (req.signal?.aborted) return Promise.reject(cancelled());
  const request = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string | number> = { ...req.headers };
  if (req.body !== undefined) headers['content-length'] = Buffer.isBuffer(req.body) ? req.body.length : req.body.length;
  return new Promise((resolve, reject) => {
    const r = request(req.url, { method: req.method, headers, agent: req.agent }, (res) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, url: req.url, body: res }),
    );
    const onAbort = () => r.destroy(cancelled());
    req.signal?.addEventListener('abort', onAbort, { once: true });
    r.on('close', () => req.signal?.removeEventListener('abort', onAbort));
    r.setTimeout(req.idleTimeoutMs ?? 60_000, () =>
      r.destroy(
        Object.assign(new Error(`no answer from ${req.url.host} for ${(req.idleTimeoutMs ?? 60_000) / 1000} s`), {
          code: 'ETIMEDOUT',
        }),
      ),
    );
    r.on('error', reject);
    if (req.body === undefined) r.end();
    else if (Buffer.isBuffer(req.body)) r.end(req.body);
    else {
      const source = req.body.open();
      source.on('error', (err) => r.destroy(err));
      r.on('close', () => source.destroy());
      source.pipe(r);
    }
  });
}

export async function readBody(res: HttpResponse, limit = 4 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      res.body.destroy();
      throw new StevedoreError(
        'REGISTRY_ERROR',
        `${res.url.host} sent more than ${limit} bytes where a small document was expected`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function discard(res: HttpResponse): void {
  res.body.resume();
}
