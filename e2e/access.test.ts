import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { tempDir } from '../testkit/tempDir';
import { connectBridge, invokeOverBridge } from './support/bridgeSocket';
import { startWebApp, type WebApp } from './support/webApp';

// Made at the top level: tempDir's cleanup hook then belongs to the file, not to a hook.
const root = tempDir();
let app: WebApp;
before(async () => {
  app = await startWebApp(root);
});
after(() => app?.stop());

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: NodeJS.Dict<string | string[]>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: app.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test("the app's files are served to anyone, the token in their URL is checked, and no cookie is set", async () => {
  const ok = await get(`/?token=${app.token}`);
  assert.equal(ok.status, 200);
  assert.match(ok.body, /<div id="root">/);
  assert.match(String(ok.headers['content-security-policy']), /script-src 'self'/);
  assert.equal(ok.headers['referrer-policy'], 'no-referrer');
  assert.equal(ok.headers['set-cookie'], undefined);

  // A reload: the page took the token out of its URL and keeps it itself (sessionStorage).
  assert.equal((await get('/')).status, 200);
  assert.equal((await get('/?token=wrong')).status, 401, "a URL with another launch's token says so");
});

test('the API over HTTP needs the token too', async () => {
  assert.equal((await get('/api')).status, 401);
  assert.equal((await get(`/api?token=${app.token}`)).status, 401);
  assert.equal((await get('/api', { authorization: `Bearer ${app.token}` })).status, 426);
});

test('an HTTP request from a foreign origin is refused', async () => {
  assert.equal((await get(`/?token=${app.token}`, { origin: app.origin })).status, 200);
  assert.equal((await get(`/?token=${app.token}`, { origin: 'http://evil.example' })).status, 403);
  assert.equal((await get('/', { origin: 'http://evil.example' })).status, 403);
});

test('the WebSocket bridge answers its own page and refuses a wrong token or a foreign origin', async (t) => {
  const own = await connectBridge(app, { token: app.token }, app.origin);
  assert.ok(own.socket, 'the page itself gets a socket');
  const socket = own.socket;
  t.after(() => socket.close());
  assert.equal(socket.protocol, 'stevedore.v1', 'the server selects the bridge protocol, never the one with the token');
  const answer = await invokeOverBridge(socket, 'engine.info', {});
  assert.ok(answer.ok, 'engine.info answers');
  assert.equal((answer.value as { root: string }).root, root);

  assert.equal((await connectBridge(app, { token: 'wrong' }, app.origin)).refusedWith, 403);
  assert.equal((await connectBridge(app, { query: `?token=${app.token}` }, app.origin)).refusedWith, 403);
  assert.equal((await connectBridge(app, { token: app.token }, 'http://evil.example')).refusedWith, 403);
  assert.equal(
    (await connectBridge(app, { token: app.token })).refusedWith,
    403,
    'a browser always sends Origin; a socket without one is not a page',
  );
});
