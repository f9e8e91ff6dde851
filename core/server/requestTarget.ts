import type { IncomingMessage } from 'node:http';

/** What a request asks for: its path, percent-decoded, and its query. */
export interface RequestTarget {
  path: string;
  query: URLSearchParams;
}

/**
 * A request's target, or undefined for a bad request: not in origin form (RFC 9112 §3.2.1:
 * `/path?query`), unparseable, or a path whose percent-encoding is not UTF-8 or holds a NUL.
 * Browsers send nothing else to an origin server; the absolute form (`GET http://host/…`) is for
 * proxies and would name a host past the Host check, so it is refused, as are `*` and `//host/…`,
 * which the WHATWG parser would read as another host.
 */
export function requestTarget(req: IncomingMessage): RequestTarget | undefined {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return undefined;
  try {
    const url = new URL(target, 'http://stevedore.invalid');
    const path = decodeURIComponent(url.pathname);
    return path.includes('\0') ? undefined : { path, query: url.searchParams };
  } catch {
    return undefined; // TypeError from URL, URIError from a malformed escape such as %E0%A4%A
  }
}
