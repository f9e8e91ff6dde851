import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Engine } from '../engine.js';
import { StevedoreError } from '../errors.js';
import { AccessPolicy, keptAccessToken } from './access.js';
import { accessRefusedPage } from './accessPage.js';
import { answerClientError, refuseRaw } from './clientError.js';
import { startEngineSocketOrNote } from './engineSocket.js';
import { FirstViewPage } from './firstViewPage.js';
import { inProcessClient } from './inProcessClient.js';
import { requestTarget } from './requestTarget.js';
import { serveSocket } from './socketBridge.js';
import { findRendererDir, resolveStatic } from './staticFiles.js';

export interface WebServer {
  url: string;
  port: number;
  token: string;
  /** `<root>/engine.sock` when this server serves it too (the CLI's pull and push use it), else undefined. */
  engineSocket: string | undefined;
  close(): Promise<void>;
}

const CSP = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'referrer-policy': 'no-referrer', ...headers });
  res.end(`${message}\n`);
}

/** The API's paths: only its WebSocket, never a file, and never without the token. */
function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/**
 * Web mode: the built renderer over HTTP and the API over one WebSocket, on 127.0.0.1 only,
 * the API behind a token kept in the store directory (see access.ts for where it may travel and why it is kept); and the engine socket (engineSocket.ts) for the CLI, unless another
 * engine serves it already (then one quiet line says so on stderr).
 */
export async function startWebServer(
  engine: Engine,
  options: { port?: number; token?: string; engineSocket?: boolean } = {},
): Promise<WebServer> {
  const rendererDir = findRendererDir();
  if (!rendererDir) {
    throw new StevedoreError('NOT_FOUND', 'the app is not built (no dist/renderer); run npm run build');
  }
  const token = options.token ?? keptAccessToken(engine.info().root);
  // One client for the page's bridge and the engine socket: every call of this face through one Router.
  const client = inProcessClient(engine);
  let port = 0;
  const policy = new AccessPolicy(token, () => port);
  const firstView = new FirstViewPage(rendererDir, client);

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const target = requestTarget(req);
    if (!target) return refuse(res, 400, 'bad request target');
    if (!policy.hostAllowed(req)) return refuse(res, 421, 'wrong host');
    if (!policy.originAllowed(req, false)) return refuse(res, 403, 'foreign origin');
    if (isApiPath(target.path)) {
      if (!policy.tokenAllowed(req)) {
        return refuse(res, 401, 'the API needs the access token', { 'www-authenticate': 'Bearer' });
      }
      return refuse(res, 426, 'the API speaks WebSocket at /api', { upgrade: 'websocket' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    // The app's files are public (the same for everyone, no secret in them), so that a reload,
    // whose URL no longer has the token, gets the page; the page keeps its token itself. A token
    // in the URL that is not this server's (a launch before a restart) is said at once.
    const given = target.query.get('token');
    if (given !== null && !policy.isToken(given)) {
      // A page, styled like the app, since a person opened it: it says what to do.
      res.writeHead(401, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : accessRefusedPage());
      return;
    }
    const file = resolveStatic(rendererDir, target.path);
    if (!file) return refuse(res, 404, 'no such file');
    const { body, type, isPage } = file;
    const headers: Record<string, string> = {
      'content-type': type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    // The page opened from the printed URL (the token in it: the one who may see the store) comes
    // with its first view drawn in; a reload, without the token, gets the page alone.
    if (isPage && given !== null && req.method === 'GET') {
      void firstView.send(res, body.toString('utf8'), headers).catch(() => res.destroy());
      return;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // Whatever one request makes throw (a file gone between stat and read) ends that request, not the engine.
    try {
      serve(req, res);
    } catch {
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.destroy();
    }
  });
  server.on('clientError', answerClientError);

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: 16 << 20,
    handleProtocols: (offered) => AccessPolicy.selectProtocol(offered),
  });
  server.on('upgrade', (req, socket, head) => {
    const target = requestTarget(req);
    if (!target) return refuseRaw(socket, 400);
    if (target.path !== '/api' || !policy.hostAllowed(req) || !policy.originAllowed(req, true) || !policy.tokenAllowed(req)) {
      return refuseRaw(socket, 403);
    }
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => serveSocket(ws, client));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new StevedoreError('CONFLICT', `port ${options.port} is already in use`) : err),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  firstView.warm();
  const engineSocket = options.engineSocket === false ? undefined : await startEngineSocketOrNote(engine, client);
  const stopWatching = engine.watchStore();
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    engineSocket: engineSocket?.serving ? engineSocket.path : undefined,
    close: async () => {
      await Promise.all([
        engineSocket?.close(),
        new Promise<void>((resolve) => {
          stopWatching();
          engine.close();
          for (const c of sockets.clients) c.terminate();
          sockets.close();
          server.close(() => resolve());
          server.closeAllConnections();
        }),
      ]);
    },
  };
}
