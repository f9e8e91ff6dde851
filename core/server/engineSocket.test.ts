import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import WebSocket from 'ws';
import { makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { DOCKER_CONFIG_HEADER } from '../client/engineConnection.js';
import { Engine } from '../engine.js';
import { dockerConfigDir } from '../registry/credentials.js';
import { type EngineSocket, startEngineSocket } from './engineSocket.js';

/** A WebSocket to the engine socket at `path`, as any client other than Stevedore's own would open it. */
function openSocket(path: string, headers: Record<string, string> = {}, url = 'ws://localhost/api'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { createConnection: () => connect(path), headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function invoke(ws: WebSocket, method: string, args: unknown): Promise<unknown> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const m = JSON.parse(String(data));
      if (m.kind === 'result' && m.id === id) {
        ws.off('message', onMessage);
        resolve(m.response);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ kind: 'invoke', id, method, args }));
  });
}

/** A socket file nobody listens on: what an engine killed without its clean-up leaves. */
function staleSocket(path: string): void {
  const r = spawnSync(process.execPath, [
    '-e',
    'require("net").createServer().listen(process.argv[1], () => process.exit(0))',
    path,
  ]);
  assert.equal(r.status, 0, String(r.stderr));
  assert.ok(lstatSync(path).isSocket());
}

describe('the engine socket', () => {
  // Closed after each test, passed or not: a socket left listening would keep the test process alive.
  const open: EngineSocket[] = [];
  const opened = (socket: EngineSocket) => {
    open.push(socket);
    return socket;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('serves the API on <root>/engine.sock, mode 0600, and removes the file when closed', async () => {
    const root = tempDir();
    const engine = new Engine(root);
    const socket = opened(await startEngineSocket(engine));
    assert.equal(socket.serving, true);
    assert.equal(socket.path, join(root, 'engine.sock'));
    const st = lstatSync(socket.path);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o600);
    const ws = await openSocket(socket.path);
    assert.deepEqual(await invoke(ws, 'engine.info', {}), { ok: true, value: engine.info() });
    assert.deepEqual(await invoke(ws, 'images.inspect', { ref: 'nothing' }), {
      ok: false,
      error: { code: 'IMAGE_NOT_FOUND', message: 'no such image: nothing' },
    });
    const closed = new Promise((resolve) => ws.once('close', resolve));
    await socket.close();
    await closed;
    assert.equal(existsSync(socket.path), false);
  });

  it('sends the events a client subscribes to', async () => {
    const root = tempDir();
    const layout = join(tempDir(), 'layout');
    writeLayout(layout, [{ refName: 'one', layers: [await makeLayer([{ path: 'a', content: 'a' }])] }]);
    const socket = opened(await startEngineSocket(new Engine(root)));
    const ws = await openSocket(socket.path);
    const events: unknown[] = [];
    ws.on('message', (data) => {
      const m = JSON.parse(String(data));
      if (m.kind === 'event') events.push(m);
    });
    ws.send(JSON.stringify({ kind: 'subscribe', topic: 'images.changed' }));
    const loaded = (await invoke(ws, 'images.load', { path: layout, name: 'localhost/one' })) as { ok: boolean };
    assert.equal(loaded.ok, true);
    assert.deepEqual(events, [{ kind: 'event', topic: 'images.changed', payload: { reason: 'load' } }]);
    ws.terminate();
    await socket.close();
  });

  it('refuses requests from a web page (an Origin header), other paths and plain HTTP', async () => {
    const root = tempDir();
    const socket = opened(await startEngineSocket(new Engine(root)));
    await assert.rejects(openSocket(socket.path, { Origin: 'http://127.0.0.1:1234' }), /Unexpected server response: 403/);
    await assert.rejects(openSocket(socket.path, { Origin: 'null' }), /Unexpected server response: 403/);
    await assert.rejects(openSocket(socket.path, {}, 'ws://localhost/other'), /Unexpected server response: 403/);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ socketPath: socket.path, path: '/api' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 404);
    await socket.close();
  });

  it('says in its handshake which Docker config its logins come from', async () => {
    const root = tempDir();
    const socket = opened(await startEngineSocket(new Engine(root)));
    const header = await new Promise<string | string[] | undefined>((resolve, reject) => {
      const ws = new WebSocket('ws://localhost/api', { createConnection: () => connect(socket.path) });
      ws.once('upgrade', (res) => resolve(res.headers[DOCKER_CONFIG_HEADER]));
      ws.once('open', () => ws.terminate());
      ws.once('error', reject);
    });
    assert.equal(typeof header === 'string' ? decodeURIComponent(header) : header, dockerConfigDir());
    await socket.close();
  });

  it('replaces a socket file nobody answers on (a crashed engine)', async () => {
    const root = tempDir();
    const path = join(root, 'engine.sock');
    staleSocket(path);
    assert.notEqual(lstatSync(path).mode & 0o777, 0o600);
    const engine = new Engine(root);
    const socket = opened(await startEngineSocket(engine));
    assert.equal(socket.serving, true);
    assert.equal(lstatSync(path).mode & 0o777, 0o600);
    const ws = await openSocket(path);
    assert.deepEqual(await invoke(ws, 'engine.info', {}), { ok: true, value: engine.info() });
    ws.terminate();
    await socket.close();
  });

  it('leaves a socket another engine answers on to it, and closing does not remove its file', async () => {
    const root = tempDir();
    const first = opened(await startEngineSocket(new Engine(root)));
    const inode = statSync(first.path).ino;
    const second = opened(await startEngineSocket(new Engine(root)));
    assert.equal(second.serving, false);
    assert.equal(!second.serving && second.why, 'another engine already serves it');
    await second.close();
    assert.equal(statSync(first.path).ino, inode);
    const ws = await openSocket(first.path);
    assert.equal(((await invoke(ws, 'engine.info', {})) as { ok: boolean }).ok, true);
    ws.terminate();
    await first.close();
  });

  it('does not take the name from a file that is not a socket', async () => {
    const root = tempDir();
    const path = join(root, 'engine.sock');
    writeFileSync(path, 'mine');
    const socket = opened(await startEngineSocket(new Engine(root)));
    assert.equal(socket.serving, false);
    assert.equal(!socket.serving && socket.why, 'a file that is not a socket has its name');
    assert.ok(lstatSync(path).isFile());
  });

  it('two engines starting at once: one serves, the other leaves it be', async () => {
    const root = tempDir();
    staleSocket(join(root, 'engine.sock'));
    const [a, b] = (await Promise.all([startEngineSocket(new Engine(root)), startEngineSocket(new Engine(root))])).map(
      opened,
    ) as [EngineSocket, EngineSocket];
    assert.deepEqual([a.serving, b.serving].sort(), [false, true]);
    const serving = a.serving ? a : b;
    const ws = await openSocket(serving.path);
    assert.equal(((await invoke(ws, 'engine.info', {})) as { ok: boolean }).ok, true);
    ws.terminate();
    await a.close();
    await b.close();
    assert.equal(existsSync(serving.path), false);
  });
});
