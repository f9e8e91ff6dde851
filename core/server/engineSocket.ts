import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { EngineClient } from '../api/engineClient.js';
import { DOCKER_CONFIG_HEADER, RUNTIME_SETTINGS_HEADER } from '../client/engineConnection.js';
import type { Engine } from '../engine.js';
import { describeError } from '../errors.js';
import { dockerConfigDir } from '../registry/credentials.js';
import { runtimeSettings } from '../runtime/runtimeSettings.js';
import { withStoreLock } from '../store/lock.js';
import { answerClientError, refuseRaw } from './clientError.js';
import { engineSocketPath, socketPathFits } from './endpoint.js';
import { askOnDemandEngineToLeave } from './engineOnDemand.js';
import { inProcessClient } from './inProcessClient.js';
import { requestTarget } from './requestTarget.js';
import { serveSocket } from './socketBridge.js';

/** The engine socket of a long-lived face, or why this face does not serve it. */
export type EngineSocket =
  | {
      serving: true;
      path: string;
      close(): Promise<void>;
      /** Its clients connected now. */
      clients(): number;
      /** No new client: the file goes at once (another engine may serve the store), those connected stay. */
      stopAccepting(): void;
    }
  | { serving: false; path: string; why: string; close(): Promise<void> };

/**
 * Whether an engine answers on `path`: a connection accepted, refused (a crashed engine's file:
 * 'stale'), no file ('absent'), or another failure (its error code). A connection reset is an
 * engine closing its socket as it was asked (one started on demand giving it up, or one ending):
 * asked again a moment later, it is gone.
 */
async function probe(path: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const found = await probeOnce(path);
    if (found !== 'ECONNRESET' || attempt === RESET_PROBES) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How many times a socket that resets the connection is asked again (20 ms apart). */
const RESET_PROBES = 50;

function probeOnce(path: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve('answers');
    });
    socket.once('error', (err: NodeJS.ErrnoException) =>
      resolve(err.code === 'ENOENT' ? 'absent' : err.code === 'ECONNREFUSED' ? 'stale' : (err.code ?? err.message)),
    );
  });
}

/** How long an engine started on demand may take to give its socket up. */
const HAND_OVER_WAIT_MS = 10_000;

/** Probes `path` until no engine answers there any more, or HAND_OVER_WAIT_MS have passed: the last probe's answer. */
async function socketGivenUp(path: string): Promise<string> {
  const until = Date.now() + HAND_OVER_WAIT_MS;
  for (;;) {
    const found = await probe(path);
    if (found !== 'answers' || Date.now() > until) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(`${message}\n`);
}

/**
 * Serves the engine on `<root>/engine.sock`, a unix socket of mode 0600: the CLI's commands run
 * through it (core/cli/engineClientFor.ts) instead of opening the store themselves. The protocol
 * is the web bridge's (one WebSocket at `/api`: invokes and events, see socketBridge.ts) behind
 * the face's EngineClient (by default one of its own over `engine`'s Router). The file's permission is the access control, as the store's own files are, so
 * no token; a request that says it comes from a web page (an Origin header) is refused all the
 * same. A file left by a crashed engine is replaced. A socket another engine answers on is left
 * to it, and this face then does not serve one (`serving: false`), unless that engine was started
 * on demand (engineOnDemand.ts) and this one is not (no `exitWhenIdleSeconds`): that one is asked
 * to give the socket up, and this one serves it once it has. `exitWhenIdleSeconds` is this one's
 * own, said in `info`; its handshake then lists its PATH among its runtime settings.
 */
export async function startEngineSocket(
  engine: Engine,
  client: EngineClient = inProcessClient(engine),
  options: { exitWhenIdleSeconds?: number } = {},
): Promise<EngineSocket> {
  const onDemand = options.exitWhenIdleSeconds !== undefined;
  const path = engineSocketPath(engine.store.root);
  const notServing = (why: string): EngineSocket => ({ serving: false, path, why, close: async () => undefined });
  if (!socketPathFits(path)) return notServing('its path is too long for a unix socket');

  const server = createServer((req: IncomingMessage, res: ServerResponse) =>
    requestTarget(req) ? refuse(res, 404, 'the engine speaks WebSocket at /api') : refuse(res, 400, 'bad request target'),
  );
  server.on('clientError', answerClientError);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 << 20 });
  // Which logins a pull or push through this engine uses: a client with another Docker config does its own.
  const dockerConfig = encodeURIComponent(dockerConfigDir());
  const settings = encodeURIComponent(JSON.stringify(runtimeSettings(process.env, { withPath: onDemand })));
  sockets.on('headers', (headers) =>
    headers.push(`${DOCKER_CONFIG_HEADER}: ${dockerConfig}`, `${RUNTIME_SETTINGS_HEADER}: ${settings}`),
  );
  server.on('upgrade', (req, socket, head) => {
    const target = requestTarget(req);
    if (!target) return refuseRaw(socket, 400);
    if (target.path !== '/api' || req.headers.origin !== undefined) return refuseRaw(socket, 403);
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => serveSocket(ws, client));
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Created 0600 (bind follows the umask), so that no one else can connect in the moment
      // before the chmod below (which is for systems where the umask does not apply to sockets).
      const umask = process.umask(0o177);
      try {
        server.listen(path, () => {
          server.off('error', reject);
          resolve();
        });
      } finally {
        process.umask(umask);
      }
    });

  // Under the store's lock, so that two engines starting at once do not both take a stale file
  // away, the second removing the first one's new socket.
  const outcome = await withStoreLock(
    engine.store.layout,
    async (): Promise<string | undefined> => {
      let found = await probe(path);
      if (found === 'answers' && !onDemand && askOnDemandEngineToLeave(engine.store.root)) {
        found = await socketGivenUp(path);
      }
      if (found === 'answers') return 'another engine already serves it';
      if (found === 'stale') {
        if (!lstatSync(path).isSocket()) return 'a file that is not a socket has its name';
        unlinkSync(path);
      } else if (found !== 'absent') {
        return `it cannot be reached (${found})`;
      }
      await listen();
      return undefined;
    },
    'engine-socket',
  ).catch((err: unknown) => `it could not listen there (${describeError(err).message})`);
  if (outcome) {
    server.close();
    return notServing(outcome);
  }
  chmodSync(path, 0o600);
  engine.serving = { socket: path, exitWhenIdleSeconds: options.exitWhenIdleSeconds ?? null };
  const stopServing = () => {
    if (engine.serving?.socket === path) engine.serving = null;
  };

  let closing: Promise<void> | undefined;
  return {
    serving: true,
    path,
    clients: () => sockets.clients.size,
    stopAccepting: () => {
      stopServing();
      if (server.listening) server.close();
    },
    // Closing the listening socket removes its file (libuv unlinks the path it bound), at once.
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        stopServing();
        server.close(() => resolve());
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
      })),
  };
}

/** startEngineSocket, saying in one quiet line why not when this face does not serve it. */
export async function startEngineSocketOrNote(
  engine: Engine,
  client: EngineClient = inProcessClient(engine),
  note: (line: string) => void = quietNote,
): Promise<EngineSocket> {
  const socket = await startEngineSocket(engine, client);
  if (!socket.serving) note(`Not serving ${socket.path}: ${socket.why}.`);
  return socket;
}

/**
 * For a face that lives as long as its process (the window): serves the engine socket, or says in
 * one quiet line why not, and returns what stops serving it.
 */
export function serveEngineSocket(
  engine: Engine,
  client: EngineClient = inProcessClient(engine),
  note: (line: string) => void = quietNote,
): () => void {
  const started = startEngineSocketOrNote(engine, client, note);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    void started.then((socket) => socket.close());
  };
}

export function quietNote(line: string): void {
  process.stderr.write(`${line}\n`);
}
