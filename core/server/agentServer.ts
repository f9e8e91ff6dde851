import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type WebSocket, WebSocketServer } from 'ws';
import { Router } from '../api/router.js';
import { AGENT_LOAD_PATH } from '../client/agentProtocol.js';
import type { Engine } from '../engine.js';
import { describeError } from '../errors.js';
import { AccessPolicy } from './access.js';
import { answerClientError, refuseRaw } from './clientError.js';
import { requestTarget } from './requestTarget.js';
import { serveSocket } from './socketBridge.js';

export interface AgentServer {
  port: number;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
}

/**
 * The engine inside a machine, served to the host (`stevedore agent`, started by the guest's
 * seed): the engine socket's protocol (one WebSocket at /api, the same Router) on a TCP port that
 * only QEMU's forward from the host's loopback reaches, behind the random token the host gave at
 * boot. Images arrive as archives PUT to AGENT_LOAD_PATH and are loaded as `stevedore load` does,
 * every blob checked against its digest.
 */
export async function startAgentServer(
  engine: Engine,
  options: { host: string; port: number; token: string },
): Promise<AgentServer> {
  const router = new Router(engine.handlers());
  let port = options.port;
  const policy = new AccessPolicy(options.token, () => port);
  const incoming = join(engine.store.root, 'tmp', 'agent');
  mkdirSync(incoming, { recursive: true });

  const load = async (req: IncomingMessage, res: ServerResponse) => {
    const file = join(incoming, `${randomBytes(8).toString('hex')}.tar`);
    try {
      await pipeline(req, createWriteStream(file, { mode: 0o600 }));
      answer(res, 200, await engine.loadImages(file));
    } catch (err) {
      const { code, message } = describeError(err);
      answer(res, 400, { code, message });
    } finally {
      rmSync(file, { force: true });
    }
  };

  const server: Server = createServer((req, res) => {
    const target = requestTarget(req);
    if (!target) return answer(res, 400, { code: 'INVALID_ARGUMENT', message: 'bad request target' });
    if (!policy.tokenAllowed(req)) return answer(res, 401, { code: 'UNAUTHORIZED', message: 'the agent needs its token' });
    if (req.method === 'PUT' && target.path === AGENT_LOAD_PATH) return void load(req, res);
    answer(res, 404, { code: 'NOT_FOUND', message: `no ${req.method} ${target.path} here` });
  });
  server.on('clientError', answerClientError);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 << 20, handleProtocols: AccessPolicy.selectProtocol });
  server.on('upgrade', (req, socket, head) => {
    const target = requestTarget(req);
    if (!target) return refuseRaw(socket, 400);
    if (target.path !== '/api' || req.headers.origin !== undefined || !policy.tokenAllowed(req)) return refuseRaw(socket, 403);
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => serveSocket(ws, router, engine));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets.clients) ws.terminate();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
