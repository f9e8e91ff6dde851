// Issue 12 item 6: a malformed request or WebSocket frame is answered (400, or a close frame
// with 1002/1009 on that one connection) and never ends the engine. Raw bytes on `net` sockets
// against the real `stevedore ui` (TCP) and `stevedore daemon` (its unix socket <root>/engine.sock).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { bridgeProtocols } from '../../core/api/bridgeProtocol';
import type { InvokeResponse } from '../../core/api/contract';
import type { TransferProgress } from '../../core/api/events.schema';
import { type Daemon, openEngineSocket, startDaemon } from '../../testkit/daemon';
import { type RunningRegistry, startRegistry } from '../../testkit/registry/registry';
import { tempDir } from '../../testkit/tempDir';
import { connectBridge, invokeOverBridge } from '../support/bridgeSocket';
import { pushRandomImage } from '../support/registryImages';
import { startWebApp, type WebApp } from '../support/webApp';

const work = tempDir('stevedore-socket-crash-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

/** A server under attack: how to reach it raw, and what a well-formed upgrade to its bridge says. */
interface Target {
  connect(): Socket;
  /** The head of an upgrade to /api that the server accepts. */
  upgradeHead(key: string): string;
  /** The Host header the server accepts. */
  host: string;
  /** The query and headers that let a plain request through (the token, for `ui`). */
  access: { query: string; headers: string };
  alive(): boolean;
  /** A good call over a fresh bridge connection: engine.info answers. */
  goodInvoke(): Promise<InvokeResponse>;
}

// --- Raw bytes ---------------------------------------------------------------------------------

const MASK = Buffer.from([0x12, 0x34, 0x56, 0x78]);

/** A client frame (masked, as RFC 6455 §5.3 requires) with a payload under 126 bytes. */
function maskedFrame(firstByte: number, payload: string): Buffer {
  const data = Buffer.from(payload);
  const masked = data.map((b, i) => b ^ (MASK[i % 4] ?? 0));
  return Buffer.concat([Buffer.from([firstByte, 0x80 | data.length]), MASK, masked]);
}

/** A binary frame header announcing `length` bytes (64-bit length form); no payload follows. */
function announcedFrame(length: number): Buffer {
  const head = Buffer.alloc(10);
  head[0] = 0x82;
  head[1] = 0x80 | 127;
  head.writeBigUInt64BE(BigInt(length), 2);
  return Buffer.concat([head, MASK]);
}

const MAX_PAYLOAD = 16 << 20;

/** Frames no conforming client sends, each with the close code RFC 6455 §7.4.1 gives it. */
const badFrames: { name: string; bytes: Buffer; code: number }[] = [
  { name: 'a reserved opcode (3)', bytes: maskedFrame(0x83, 'x'), code: 1002 },
  { name: 'an unmasked client frame', bytes: Buffer.from([0x81, 0x02, 0x68, 0x69]), code: 1002 },
  { name: 'reserved bits RSV2 and RSV3 set', bytes: maskedFrame(0xb1, '{}'), code: 1002 },
  { name: 'a frame over maxPayload', bytes: announcedFrame(MAX_PAYLOAD + 1), code: 1009 },
  { name: 'garbage bytes after the handshake', bytes: Buffer.alloc(64, 0xff), code: 1002 },
];

/**
 * Upgrades a raw connection, sends `frame`, and resolves with the code of the close frame the
 * server answers (then closes our side), or undefined if the connection ended without one.
 */
function sendFrame(target: Target, frame: Buffer): Promise<{ handshake: string; closeCode?: number }> {
  return new Promise((resolve) => {
    const socket = target.connect();
    let received = Buffer.alloc(0);
    let handshake = '';
    let settled = false;
    const settle = (closeCode?: number) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(closeCode === undefined ? { handshake } : { handshake, closeCode });
    };
    socket.on('error', () => settle());
    socket.on('close', () => settle());
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!handshake) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        handshake = received.subarray(0, end).toString('latin1').split('\r\n')[0] ?? '';
        received = received.subarray(end + 4);
        if (!handshake.includes(' 101 ')) return settle();
        socket.write(frame);
      }
      // Server frames are unmasked; a close frame's payload starts with its 2-byte code.
      if (received.length >= 4 && (received[0]! & 0x0f) === 0x8) settle(received.readUInt16BE(2));
    });
    socket.write(target.upgradeHead(randomBytes(16).toString('base64')));
  });
}

/** Sends raw bytes and resolves with the status code of the answer, or undefined if none came. */
function sendRequest(target: Target, bytes: string | Buffer): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = target.connect();
    let received = '';
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      resolve(status === undefined ? undefined : Number(status));
    };
    socket.on('error', settle);
    socket.on('close', settle);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n')) settle();
    });
    socket.write(bytes);
  });
}

/** Requests no conforming client sends, each with the status it must get. */
function badRequests(target: Target): { name: string; bytes: string | Buffer; status: number }[] {
  const { query, headers } = target.access;
  const upgrade = (path: string, key: string) =>
    `GET ${path} HTTP/1.1\r\nHost: ${target.host}\r\n${headers}Upgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
  return [
    { name: 'garbage bytes', bytes: Buffer.from([0x01, 0xfe, 0x00, 0x7f, 0x0d, 0x0a, 0x0d, 0x0a]), status: 400 },
    { name: 'a garbage first line', bytes: 'NOT A REQUEST LINE\r\n\r\n', status: 400 },
    { name: 'GET http://[', bytes: `GET http://[ HTTP/1.1\r\nHost: ${target.host}\r\n${headers}\r\n`, status: 400 },
    {
      name: 'GET http://[ with the token',
      bytes: `GET http://[${query} HTTP/1.1\r\nHost: ${target.host}\r\n${headers}\r\n`,
      status: 400,
    },
    { name: 'an upgrade to http://[', bytes: upgrade(`http://[${query}`, randomBytes(16).toString('base64')), status: 400 },
    { name: 'GET /%E0%A4%A', bytes: `GET /%E0%A4%A HTTP/1.1\r\nHost: ${target.host}\r\n${headers}\r\n`, status: 400 },
    {
      name: 'GET /%E0%A4%A with the token',
      bytes: `GET /%E0%A4%A${query} HTTP/1.1\r\nHost: ${target.host}\r\n${headers}\r\n`,
      status: 400,
    },
    { name: 'an upgrade with a bad key', bytes: upgrade(`/api${query}`, 'not-a-key'), status: 400 },
    {
      name: 'a header with a control character',
      bytes: `GET / HTTP/1.1\r\nHost: ${target.host}\r\nX-Bad: a\x01b\r\n\r\n`,
      status: 400,
    },
  ];
}

/** After each hostile input: the process lives, and answers a good request and a good invoke. */
async function assertStillServing(target: Target, after: string): Promise<void> {
  assert.ok(target.alive(), `the process still runs after ${after}`);
  const info = await target.goodInvoke();
  assert.ok(info.ok, `engine.info answers after ${after}`);
}

async function attackFrames(target: Target): Promise<void> {
  for (const frame of badFrames) {
    const { handshake, closeCode } = await sendFrame(target, frame.bytes);
    assert.match(handshake, / 101 /, `the upgrade before ${frame.name} is accepted`);
    assert.equal(closeCode, frame.code, `${frame.name} closes its connection with ${frame.code}`);
    await assertStillServing(target, frame.name);
  }
}

async function attackRequests(target: Target): Promise<void> {
  for (const bad of badRequests(target)) {
    assert.equal(await sendRequest(target, bad.bytes), bad.status, `${bad.name} is answered ${bad.status}`);
    await assertStillServing(target, bad.name);
  }
}

// --- stevedore ui ------------------------------------------------------------------------------

describe('stevedore ui', () => {
  // One server per test, so that a crash in one is not blamed on the next.
  let app: WebApp;
  beforeEach(async () => {
    app = await startWebApp(join(work, 'ui'));
  });
  afterEach(() => app?.stop());

  const target = (): Target => {
    // As the page presents itself (core/api/bridgeProtocol.ts): its origin, the token in a subprotocol.
    const page = `Origin: ${app.origin}\r\nSec-WebSocket-Protocol: ${bridgeProtocols(app.token).join(', ')}\r\n`;
    return {
      connect: () => connect(app.port, '127.0.0.1'),
      host: `127.0.0.1:${app.port}`,
      access: { query: `?token=${app.token}`, headers: page },
      upgradeHead: (key) =>
        `GET /api HTTP/1.1\r\nHost: 127.0.0.1:${app.port}\r\n${page}` +
        `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      alive: () => app.alive(),
      goodInvoke: async () => {
        const { socket } = await connectBridge(app, { token: app.token }, app.origin);
        assert.ok(socket, 'the bridge accepts its own page');
        try {
          return await invokeOverBridge(socket, 'engine.info', {});
        } finally {
          socket.close();
        }
      },
    };
  };

  /** The page itself, as a browser asks for it. */
  const pageStatus = () =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: app.port, path: `/?token=${app.token}` }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

  test('malformed WebSocket frames close only their own connection', async () => {
    const { socket: bystander } = await connectBridge(app, { token: app.token }, app.origin);
    assert.ok(bystander, 'a page connected before the attack');
    await attackFrames(target());
    assert.ok((await invokeOverBridge(bystander, 'engine.info', {})).ok, 'the connection opened before still answers');
    bystander.close();
    assert.equal(await pageStatus(), 200, 'the page is still served');
  });

  test('malformed HTTP requests are answered 400 and the server goes on', async () => {
    await attackRequests(target());
    assert.equal(await pageStatus(), 200, 'the page is still served');
  });
});

// --- stevedore daemon --------------------------------------------------------------------------

/**
 * A loopback TCP proxy that lets through `budget` bytes of what the registry sends, then holds
 * the rest until `release()`: a pull through it is certainly still running while the test works.
 */
function startGatedProxy(upstreamPort: number, budget: number) {
  let left = budget;
  let released = false;
  const held: (() => void)[] = [];
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (released || chunk.length <= left) {
        left -= chunk.length;
        client.write(chunk);
        return;
      }
      upstream.pause();
      held.push(() => {
        client.write(chunk);
        upstream.resume();
      });
    });
    upstream.on('end', () => client.end());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  return new Promise<{ host: string; release(): void; stop(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        host: `127.0.0.1:${port}`,
        release: () => {
          released = true;
          for (const go of held.splice(0)) go();
        },
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // The daemon's registry client keeps its connections alive; close would wait for them.
            for (const s of open) s.destroy();
          }),
      });
    });
  });
}

describe('stevedore daemon', () => {
  let daemon: Daemon;
  let registry: RunningRegistry;
  before(async () => {
    registry = await startRegistry();
    await pushRandomImage({
      seedRoot: join(work, 'seed'),
      work,
      host: registry.host,
      repository: 'security/inflight',
      tags: ['1'],
      layerMegabytes: [4, 4],
    });
    daemon = await startDaemon(join(work, 'daemon'));
  });
  after(async () => {
    await daemon?.stop();
    await registry?.stop();
  });

  const target = (): Target => ({
    connect: () => connect(daemon.socketPath),
    host: 'localhost',
    access: { query: '', headers: '' },
    upgradeHead: (key) =>
      'GET /api HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    alive: () => daemon.alive(),
    goodInvoke: async () => {
      const ws = await openEngineSocket(daemon.socketPath);
      try {
        return await invokeOverBridge(ws, 'engine.info', {});
      } finally {
        ws.close();
      }
    },
  });

  test('a pull in flight finishes while other connections send malformed frames and requests', async (t) => {
    const proxy = await startGatedProxy(registry.port, 1 << 20);
    t.after(() => proxy.stop());
    const ws = await openEngineSocket(daemon.socketPath);
    t.after(() => ws.close());
    const ref = `${proxy.host}/security/inflight:1`;
    const moving = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { kind: string; topic?: string; payload?: TransferProgress };
        if (m.kind === 'event' && m.topic === 'transfer.progress' && m.payload?.kind === 'layer' && m.payload.bytesDone > 0) {
          resolve();
        }
      });
    });
    ws.send(JSON.stringify({ kind: 'subscribe', topic: 'transfer.progress' }));
    const pulled = invokeOverBridge(ws, 'images.pull', { ref, transferId: 'in-flight' });
    pulled.catch(() => undefined); // awaited below; a failure before then must not be unhandled
    await moving;

    await attackFrames(target());
    await attackRequests(target());

    const running = await invokeOverBridge(ws, 'transfers.list', {});
    assert.ok(running.ok);
    const transfer = (running.value as { transferId: string; state: string }[]).find((s) => s.transferId === 'in-flight');
    assert.equal(transfer?.state, 'running', 'the pull was held by the proxy through the attack');
    proxy.release();
    const result = await pulled;
    assert.ok(result.ok, `the pull finished: ${JSON.stringify(result)}`);
    const images = await invokeOverBridge(ws, 'images.list', {});
    assert.ok(images.ok);
    assert.ok(
      (images.value as { repository: string; tag: string }[]).some(
        (i) => i.repository.endsWith('security/inflight') && i.tag === '1',
      ),
      'the pulled image is in the store',
    );
  });
});
