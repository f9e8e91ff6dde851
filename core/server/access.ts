import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { requestTarget } from './requestTarget.js';

export const TOKEN_COOKIE = 'stevedore_token';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return v.join('=');
  }
  return undefined;
}

/**
 * Who may talk to the web bridge: a request with the token (in the URL or the cookie set from
 * it), addressed to our own host name (no DNS rebinding), and, when a browser says where it
 * comes from, from our own origin.
 */
export class AccessPolicy {
  constructor(
    private readonly token: string,
    private readonly port: () => number,
  ) {}

  private allowedHosts(): string[] {
    const p = this.port();
    return [`127.0.0.1:${p}`, `localhost:${p}`];
  }

  hostAllowed(req: IncomingMessage): boolean {
    return this.allowedHosts().includes(req.headers.host ?? '');
  }

  originAllowed(req: IncomingMessage, required: boolean): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return !required;
    return this.allowedHosts().some((h) => origin === `http://${h}`);
  }

  /** The token from the query string, if that is how it came, so the server can set the cookie. */
  queryToken(req: IncomingMessage): string | undefined {
    return requestTarget(req)?.query.get('token') ?? undefined;
  }

  tokenAllowed(req: IncomingMessage): boolean {
    const given = this.queryToken(req) ?? cookieToken(req);
    return given !== undefined && sameSecret(given, this.token);
  }
}
