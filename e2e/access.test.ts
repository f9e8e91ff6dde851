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

test('the page is served with the token and refused without it', async () => {
  const ok = await get(`/?token=${app.token}`);
  assert.equal(ok.status, 200);
  assert.match(ok.body, /<div id="root">/);
  assert.match(String(ok.headers['content-security-policy']), /script-src 'self'/);

  assert.equal((await get('/?token=wrong')).status, 401);
  assert.equal((await get('/')).status, 401);
});

test('an HTTP request from a foreign origin is refused even with the token', async () => {
  assert.equal((await get(`/?token=${app.token}`, { origin: app.origin })).status, 200);
  assert.equal((await get(`/?token=${app.token}`, { origin: 'http://evil.example' })).status, 403);
});

test('the WebSocket bridge answers its own page and refuses a wrong token or a foreign origin', async (t) => {
  const own = await connectBridge(app, `?token=${app.token}`, app.origin);
  assert.ok(own.socket, 'the page itself gets a socket');
  const socket = own.socket;
  t.after(() => socket.close());
  const answer = await invokeOverBridge(socket, 'engine.info', {});
  assert.ok(answer.ok, 'engine.info answers');
  assert.equal((answer.value as { root: string }).root, root);

  assert.equal((await connectBridge(app, '?token=wrong', app.origin)).refusedWith, 403);
  assert.equal((await connectBridge(app, `?token=${app.token}`, 'http://evil.example')).refusedWith, 403);
  assert.equal(
    (await connectBridge(app, `?token=${app.token}`)).refusedWith,
    403,
    'a browser always sends Origin; a socket without one is not a page',
  );
});
