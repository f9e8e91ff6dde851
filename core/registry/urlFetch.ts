import type { IncomingMessage } from 'node:http';
import { StevedoreError } from '../errors.js';
import { header, send } from './http.js';
import { transportFor } from './tls.js';

/** A URL's body as fetched, with what its headers say of the file. */
export interface FetchedUrl {
  /** The body, unread: read it to the end (or destroy it) to free the connection. */
  body: IncomingMessage;
  /** From Last-Modified, when the server sent a valid one. */
  lastModified?: Date;
  /** Where the body came from, after redirects. */
  url: URL;
}

export interface UrlFetchOptions {
  /** certs.d directories (CA trust per host), as the registry client uses. */
  certDirs: string[];
  /** Skip certificate checks (a host marked insecure in the registry settings). */
  insecure?: boolean;
  signal?: AbortSignal;
}

// Go's net/http client, which BuildKit's http source uses, stops after 10 redirects.
const MAX_REDIRECTS = 10;

/**
 * GET of an http(s) URL through the registry client's stack (node's client via `send`, the same
 * TLS trust as registries: system CAs plus `certs.d/<host>/*.crt`), redirects followed as
 * BuildKit's http source does, except from https to http. Anything but a 2xx at the end is one
 * clear error.
 */
export async function fetchUrl(text: string, options: UrlFetchOptions): Promise<FetchedUrl> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StevedoreError('INVALID_ARGUMENT', `${text} is not a valid URL`);
  }
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new StevedoreError('INVALID_ARGUMENT', `${url.href}: only http and https URLs can be fetched`);
    }
    const transport = transportFor(url.host, { insecure: options.insecure ?? false, certDirs: options.certDirs });
    let res: Awaited<ReturnType<typeof send>>;
    try {
      res = await send({
        method: 'GET',
        url,
        headers: { 'user-agent': 'stevedore' },
        agent: url.protocol === 'https:' ? transport.https : transport.http,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (err) {
      transport.close();
      if (err instanceof StevedoreError) throw err;
      throw new StevedoreError('UNREACHABLE', `cannot fetch ${url.href}: ${(err as Error).message}`);
    }
    // The agents go once the body has been read (or dropped).
    res.body.once('close', () => transport.close());
    const location = header(res.headers, 'location');
    if (res.status >= 300 && res.status < 400 && location) {
      res.body.resume();
      if (hop >= MAX_REDIRECTS) throw new StevedoreError('UNREACHABLE', `${text}: more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, url);
      // Go's client (BuildKit's) would follow it; a file asked for over TLS must not arrive without it.
      if (url.protocol === 'https:' && next.protocol === 'http:') {
        throw new StevedoreError(
          'DENIED',
          `${text}: the server redirected it from https to ${next.href}; a file asked for over https is not fetched over plain http`,
        );
      }
      url = next;
      continue;
    }
    if (res.status < 200 || res.status >= 300) {
      res.body.resume();
      throw new StevedoreError('UNREACHABLE', `cannot fetch ${url.href}: the server answered ${res.status}`);
    }
    const modified = header(res.headers, 'last-modified');
    const lastModified = modified ? new Date(modified) : undefined;
    return {
      body: res.body,
      url,
      ...(lastModified && !Number.isNaN(lastModified.getTime()) ? { lastModified } : {}),
    };
  }
}
