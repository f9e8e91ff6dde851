import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { eventually } from '../../testkit/eventually.js';
import { tempDir } from '../../testkit/tempDir.js';
import type { EngineClient } from '../api/engineClient.js';
import { Engine } from '../engine.js';
import { dockerConfigDir } from '../registry/credentials.js';
import { type EngineSocket, startEngineSocket } from '../server/engineSocket.js';
import { connectToEngine } from './engineConnection.js';

/** An HTTP server on a unix socket with a ws server behind it, to send what the engine never does. */
async function fakeEngine(path: string, onConnection: (ws: import('ws').WebSocket) => void): Promise<Server> {
  const server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', onConnection);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return server;
}

describe('the thin client speaks WebSocket to the engine socket', () => {
  const cleanUps: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanUps.splice(0)) await c();
  });
  const engineOn = async (root: string): Promise<EngineSocket> => {
    const socket = await startEngineSocket(new Engine(root));
    cleanUps.push(() => socket.close());
    return socket;
  };

  it('invokes methods and reads answers of every frame length', async () => {
    const root = tempDir();
    const socket = await engineOn(root);
    const engine = await connectToEngine(socket.path);
    assert.ok(engine);
    assert.equal(engine.dockerConfig, dockerConfigDir());
    // The serving engine says it serves the socket; an engine of its own would say it serves none.
    const served = { ...new Engine(root).info(), engine: { pid: process.pid, socket: socket.path, exitWhenIdleSeconds: null } };
    assert.deepEqual(await engine.invoke('engine.info', {}), { ok: true, value: served });
    // The unknown method comes back in the error: answers of 7-bit, 16-bit and 64-bit lengths.
    for (const length of [10, 300, 70_000]) {
      const method = 'm'.repeat(length);
      assert.deepEqual(await engine.invoke(method, {}), {
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: `unknown method "${method}"` },
      });
    }
    // Calls in flight at once are told apart by id.
    const answers = await Promise.all([engine.invoke('images.list', {}), engine.invoke('images.inspect', { ref: 'x' })]);
    assert.deepEqual(
      answers.map((a) => a.ok),
      [true, false],
    );
    engine.close();
  });

  it('receives the events it subscribed to', async () => {
    const path = join(tempDir(), 'fake.sock');
    const server = await fakeEngine(path, (ws) => {
      ws.on('message', (data) => {
        const m = JSON.parse(String(data));
        if (m.kind !== 'subscribe') return;
        ws.send(JSON.stringify({ kind: 'event', topic: 'other', payload: 0 }));
        // Fragmented, with a ping in between: the client joins the fragments and answers the ping.
        ws.send('{"kind":"event","topic":', { fin: false });
        ws.ping();
        ws.send(`"${m.topic}","payload":{"n":"é"}}`, { fin: true });
      });
    });
    cleanUps.push(() => new Promise((resolve) => server.close(resolve)));
    const engine = await connectToEngine(path);
    assert.ok(engine);
    assert.equal(engine.dockerConfig, undefined);
    const payload = await new Promise((resolve) => engine.subscribe('transfer.progress', resolve));
    assert.deepEqual(payload, { n: 'é' });
    engine.close();
  });

  it('is an EngineClient: several listeners per topic, each with its own unsubscribe', async () => {
    const path = join(tempDir(), 'fake.sock');
    const received: { kind: string; topic?: string }[] = [];
    let peer: import('ws').WebSocket | undefined;
    const server = await fakeEngine(path, (ws) => {
      peer = ws;
      ws.on('message', (data) => {
        const m = JSON.parse(String(data));
        received.push(m);
        if (m.kind === 'invoke') ws.send(JSON.stringify({ kind: 'result', id: m.id, response: { ok: true, value: m.method } }));
      });
    });
    cleanUps.push(() => {
      peer?.terminate();
      return new Promise((resolve) => server.close(resolve));
    });
    const connection = await connectToEngine(path);
    assert.ok(connection);
    const client: EngineClient = connection;
    const first: unknown[] = [];
    const second: unknown[] = [];
    const offFirst = client.subscribe('images.changed', (p) => first.push(p));
    const offSecond = client.subscribe('images.changed', (p) => second.push(p));
    // An answered call: the engine has read everything sent before it.
    assert.deepEqual(await client.invoke('engine.info', {}), { ok: true, value: 'engine.info' });
    assert.deepEqual(
      received.map((m) => [m.kind, m.topic]),
      [
        ['subscribe', 'images.changed'],
        ['invoke', undefined],
      ],
      'one subscription on the wire for the two listeners',
    );
    const event = (n: number) => peer!.send(JSON.stringify({ kind: 'event', topic: 'images.changed', payload: n }));
    event(1);
    await eventually(() => assert.deepEqual([first, second], [[1], [1]]));
    offFirst();
    offFirst();
    event(2);
    await eventually(() => assert.deepEqual(second, [1, 2]));
    assert.deepEqual(first, [1], 'an unsubscribed listener hears nothing more');
    assert.ok(!received.some((m) => m.kind === 'unsubscribe'), 'the topic still has a listener');
    offSecond();
    await eventually(() => assert.deepEqual(received.at(-1), { kind: 'unsubscribe', topic: 'images.changed' }));
    event(3);
    await client.invoke('engine.info', {});
    assert.deepEqual([first, second], [[1], [1, 2]]);
    connection.close();
  });

  it('finds no engine where nothing answers: no file, a stale socket, a refused or wrong handshake', async () => {
    const dir = tempDir();
    assert.equal(await connectToEngine(join(dir, 'none.sock')), undefined);

    const stale = join(dir, 'stale.sock');
    spawnSync(process.execPath, ['-e', 'require("net").createServer().listen(process.argv[1], () => process.exit(0))', stale]);
    assert.equal(await connectToEngine(stale), undefined);

    const refusing = join(dir, 'refusing.sock');
    const server = createServer((_req, res) => res.writeHead(403).end());
    server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
    await new Promise<void>((resolve) => server.listen(refusing, resolve));
    cleanUps.push(() => new Promise((resolve) => server.close(resolve)));
    assert.equal(await connectToEngine(refusing), undefined);

    const wrong = join(dir, 'wrong.sock');
    const liar = createNetServer((socket) =>
      socket.resume().end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: nonsense\r\n\r\n'),
    );
    await new Promise<void>((resolve) => liar.listen(wrong, resolve));
    cleanUps.push(() => new Promise((resolve) => liar.close(resolve)));
    assert.equal(await connectToEngine(wrong), undefined);

    const mute = join(dir, 'mute.sock');
    const held = new Set<Socket>();
    const silent = createNetServer((socket) => held.add(socket.resume()));
    await new Promise<void>((resolve) => silent.listen(mute, resolve));
    cleanUps.push(() => new Promise((resolve) => silent.close(resolve)));
    assert.equal(await connectToEngine(mute, 200), undefined);
    // It did reach the silent one, and gave up on its handshake rather than on the connection.
    assert.equal(held.size, 1);
    for (const socket of held) socket.destroy();
  });

  it('fails the calls in flight when the engine goes away, and says it has ended', async () => {
    const socket = await engineOn(tempDir());
    const engine = await connectToEngine(socket.path);
    assert.ok(engine);
    // A call the engine will not answer before it closes: a pull from a port that never replies.
    const held = new Set<Socket>();
    const silent = createNetServer((socket) => held.add(socket.resume()));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanUps.push(() => {
      for (const socket of held) socket.destroy();
      silent.close();
    });
    const port = (silent.address() as { port: number }).port;
    const call = engine.invoke('images.pull', { ref: `127.0.0.1:${port}/app:1` });
    // The call is in flight once the engine's pull has reached the registry that never replies.
    await eventually(() => assert.ok(held.size > 0, 'the pull reached the registry'));
    await socket.close();
    await assert.rejects(call, /the engine closed the connection/);
    await assert.rejects(engine.invoke('engine.info', {}), /the engine closed the connection/);
    // What the window's client waits on to start the engine again (core/app/daemonClient.ts).
    await engine.closed;
  });
});
