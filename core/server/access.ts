import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BRIDGE_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../api/bridgeProtocol.js';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The subprotocols a WebSocket client offers (`Sec-WebSocket-Protocol`, comma-separated). */
function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/**
 * Who may talk to the web bridge: a request addressed to our own host name (no DNS rebinding),
 * from our own origin when a browser says where it comes from, and, for the API, with the token.
 *
 * The token is never a cookie: cookies are not port-scoped, so the browser would send one to any
 * server on 127.0.0.1, which any local user can run. The page takes the token from the URL it was
 * opened with and sends it itself: as a WebSocket subprotocol (core/api/bridgeProtocol.ts), or as
 * `Authorization: Bearer` from a client that can set headers. The app's files are served without
 * it: they are the same for everyone and hold no secret.
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

  /** Whether `given` (from a URL the page was opened with, say) is the token. */
  isToken(given: string): boolean {
    return sameSecret(given, this.token);
  }

  /** Whether the request carries the token in a subprotocol or an `Authorization: Bearer` header. */
  tokenAllowed(req: IncomingMessage): boolean {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const offered = offeredProtocols(req)
      .filter((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))
      .map((p) => p.slice(TOKEN_PROTOCOL_PREFIX.length));
    return [bearer, ...offered].some((given) => given !== undefined && this.isToken(given));
  }

  /**
   * The subprotocol the server selects (ws's handleProtocols): the bridge's own, never the one
   * that carries the token, which would echo it back.
   */
  static selectProtocol(offered: Set<string>): string | false {
    return offered.has(BRIDGE_PROTOCOL) ? BRIDGE_PROTOCOL : false;
  }
}
