import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  AGENT_BLOBS_PATH,
  AGENT_BUILD_STEP_PATH,
  AGENT_CLOCK_PATH,
  AGENT_LOAD_PATH,
  AGENT_SHELL_PATH,
  type AgentBuildStepLine,
  type AgentStepMount,
  agentBuildStep,
  agentClockRequest,
} from '../client/agentProtocol.js';
import { type Digest, isDigest } from '../digest/digest.js';
import type { Engine } from '../engine.js';
import { describeError } from '../errors.js';
import type { StepMount } from '../runtime/buildStep/buildStepRequest.js';
import { ingestStream } from '../store/ingest.js';
import { AccessPolicy } from './access.js';
import { archiveHandler } from './agentArchive.js';
import { answerClock } from './agentClock.js';
import { serveGuestShell } from './agentShell.js';
import { answerClientError, refuseRaw } from './clientError.js';
import { inProcessClient } from './inProcessClient.js';
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
  const client = inProcessClient(engine);
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

  /** HEAD: whether the guest's store has the blob; GET: its bytes; PUT: stored if they have that digest. */
  const blob = async (req: IncomingMessage, res: ServerResponse, digest: Digest) => {
    const path = engine.store.blobPath(digest);
    if (req.method === 'HEAD' || req.method === 'GET') {
      const info = statSync(path, { throwIfNoEntry: false });
      if (!info) return answer(res, 404, { code: 'NOT_FOUND', message: `no blob ${digest} here` });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': info.size, connection: 'close' });
      if (req.method === 'HEAD') return void res.end();
      return void pipeline(createReadStream(path), res).catch(() => res.destroy());
    }
    const lease = engine.store.newLease();
    try {
      const stored = await ingestStream(engine.store.layout, req, { digest, what: `the blob ${digest} from the host` }, lease);
      answer(res, 200, { digest: stored.digest, size: stored.size });
    } catch (err) {
      const { code, message } = describeError(err);
      answer(res, 400, { code, message });
    } finally {
      lease.release();
    }
  };

  /**
   * A build's RUN step, run by this engine's own (native) runtime over layers the host sent first;
   * its output streamed back as it comes, then its layer, left in this store for the host to fetch
   * and for the next step to run over.
   */
  const buildStep = async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    for await (const chunk of req) {
      body += chunk as string;
      if (body.length > 16 << 20) return answer(res, 413, { code: 'INVALID_ARGUMENT', message: 'build step too large' });
    }
    let parsed: ReturnType<typeof agentBuildStep.safeParse>;
    try {
      parsed = agentBuildStep.safeParse(JSON.parse(body));
    } catch {
      return answer(res, 400, { code: 'INVALID_ARGUMENT', message: 'the build step is not JSON' });
    }
    if (!parsed.success) return answer(res, 400, { code: 'INVALID_ARGUMENT', message: parsed.error.issues[0]!.message });
    const step = parsed.data;
    const missing = step.layers.filter((l) => !engine.store.hasBlob(l.descriptor.digest as Digest));
    if (missing.length > 0) {
      return answer(res, 409, {
        code: 'NOT_FOUND',
        message: `the machine lacks the layers ${missing.map((l) => l.descriptor.digest).join(', ')}`,
      });
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson', connection: 'close' });
    const send = (line: AgentBuildStepLine) => res.write(`${JSON.stringify(line)}\n`);
    const lease = engine.store.newLease();
    // The host gone (its build cancelled, or it ended): the step's container is killed.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const buildDir = join(engine.store.root, 'tmp', 'build', `agent-${randomBytes(6).toString('hex')}`);
    mkdirSync(buildDir, { recursive: true, mode: 0o700 });
    try {
      const layer = await engine.runtime.runBuildStep(
        {
          layers: step.layers.map((l) => ({ descriptor: l.descriptor, diffId: l.diffId as Digest })),
          process: { ...step.process, mounts: (step.process.mounts ?? []).map(stepMountOf) },
          files: step.files,
          buildDir,
          lease,
          ...(step.sourceDateEpoch !== undefined ? { sourceDateEpoch: step.sourceDateEpoch } : {}),
          signal: gone.signal,
        },
        (stream, text) => send({ output: { stream, text } }),
      );
      send({ layer: { descriptor: layer.descriptor, diffId: layer.diffId } });
    } catch (err) {
      const { code, message } = describeError(err);
      send({ error: { code, message } });
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
      lease.release();
      res.end();
    }
  };

  /** The guest's clock against the host's, set from it when asked (core/vm/guestClock.ts). */
  const clock = async (req: IncomingMessage, res: ServerResponse) => {
    // This clock as the request arrived: the body's transit is not counted as skew.
    const received = { guestNowMs: Date.now(), at: performance.now() };
    let body = '';
    req.setEncoding('utf8');
    for await (const chunk of req) {
      body += chunk as string;
      if (body.length > 4096) return answer(res, 413, { code: 'INVALID_ARGUMENT', message: 'clock request too large' });
    }
    let parsed: ReturnType<typeof agentClockRequest.safeParse>;
    try {
      parsed = agentClockRequest.safeParse(JSON.parse(body));
    } catch {
      return answer(res, 400, { code: 'INVALID_ARGUMENT', message: 'the clock request is not JSON' });
    }
    if (!parsed.success) return answer(res, 400, { code: 'INVALID_ARGUMENT', message: parsed.error.issues[0]!.message });
    try {
      answer(res, 200, await answerClock(parsed.data, received));
    } catch (err) {
      const { code, message } = describeError(err);
      answer(res, 500, { code, message });
    }
  };

  const server: Server = createServer((req, res) => {
    const target = requestTarget(req);
    if (!target) return answer(res, 400, { code: 'INVALID_ARGUMENT', message: 'bad request target' });
    if (!policy.tokenAllowed(req)) return answer(res, 401, { code: 'UNAUTHORIZED', message: 'the agent needs its token' });
    if (req.method === 'PUT' && target.path === AGENT_LOAD_PATH) return void load(req, res);
    if (req.method === 'POST' && target.path === AGENT_BUILD_STEP_PATH) return void buildStep(req, res);
    if (req.method === 'POST' && target.path === AGENT_CLOCK_PATH) return void clock(req, res);
    const archive = archiveHandler(engine, req, target);
    if (archive) return void archive(res);
    if (target.path.startsWith(AGENT_BLOBS_PATH) && ['HEAD', 'GET', 'PUT'].includes(req.method ?? '')) {
      const digest = target.path.slice(AGENT_BLOBS_PATH.length);
      if (!isDigest(digest)) return answer(res, 400, { code: 'INVALID_ARGUMENT', message: 'not a digest' });
      return void blob(req, res, digest);
    }
    answer(res, 404, { code: 'NOT_FOUND', message: `no ${req.method} ${target.path} here` });
  });
  server.on('clientError', answerClientError);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 << 20, handleProtocols: AccessPolicy.selectProtocol });
  const shells = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const target = requestTarget(req);
    if (!target) return refuseRaw(socket, 400);
    if (![AGENT_SHELL_PATH, '/api'].includes(target.path) || req.headers.origin !== undefined || !policy.tokenAllowed(req))
      return refuseRaw(socket, 403);
    if (target.path === AGENT_SHELL_PATH) return shells.handleUpgrade(req, socket, head, serveGuestShell);
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => serveSocket(ws, client));
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
        for (const ws of [...sockets.clients, ...shells.clients]) ws.terminate();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A step's mount as the host sent it, as this engine's runtime takes it (a secret's value decoded). */
function stepMountOf(mount: AgentStepMount): StepMount {
  if (mount.type === 'secret') return { ...mount, value: Buffer.from(mount.value, 'base64') };
  if (mount.type === 'tmpfs')
    return { type: 'tmpfs', destination: mount.destination, ...(mount.size ? { size: mount.size } : {}) };
  return mount;
}
