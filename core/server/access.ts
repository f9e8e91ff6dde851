import { randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { BRIDGE_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../api/bridgeProtocol.js';
import { writeFileAtomic } from '../system/atomicFile.js';

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

/** Where `stevedore ui` keeps its token: in the store directory, readable by its owner alone. */
export function tokenFile(root: string): string {
  return join(root, 'ui-token');
}

const TOKEN_SHAPE = /^[0-9a-f]{48}$/;

/**
 * The web bridge's token for this store: the one kept in `<root>/ui-token` (mode 0600), or a new
 * one written there. Kept, so that a restart of `stevedore ui` on the same port lets the tabs it
 * served back in (they hold the token in sessionStorage) and its printed URL keeps working: the
 * access is the store owner's, as the engine socket's is (its file is 0600 too). A file that is
 * not the owner's alone, or holds something else, is replaced rather than trusted.
 */
export function keptAccessToken(root: string): string {
  const path = tokenFile(root);
  try {
    const fd = openSync(path, 'r');
    try {
      const stat = fstatSync(fd);
      const text = readFileSync(fd, 'utf8').trim();
      const owned = typeof process.getuid !== 'function' || stat.uid === process.getuid();
      if (stat.isFile() && (stat.mode & 0o077) === 0 && owned && TOKEN_SHAPE.test(text)) return text;
    } finally {
      closeSync(fd);
    }
  } catch {
    // none yet (or unreadable): a new one below
  }
  const token = randomBytes(24).toString('hex');
  // A concurrent reader sees the old token or the new one.
  writeFileAtomic(path, `${token}\n`, { mode: 0o600 });
  return token;
}
