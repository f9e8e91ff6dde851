// Issue 12 item 5: the web UI's access token must reach no other server. A cookie is not
// port-scoped, so one set by `stevedore ui` went to any server on 127.0.0.1, which any local user
// can run; with it a second user drove a root engine. The real `stevedore ui` is opened in
// Chromium with its token URL, then the same browser goes to a second server on 127.0.0.1 at
// another port: that server must see the token nowhere (cookie, Referer, URL, any header).
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { tempDir } from '../../testkit/tempDir';
import { connectBridge, invokeOverBridge } from '../support/bridgeSocket';
import { launchBrowser, openApp } from '../support/browser';
import { eventually } from '../support/eventually';
import { startWebApp, type WebApp } from '../support/webApp';

const root = tempDir('stevedore-web-access-');
let browser: Browser;
let app: WebApp;
before(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** Another local user's server: a page of its own, and a record of every request it got. */
async function startOtherServer(): Promise<{ origin: string; seen: IncomingMessage[]; close(): Promise<void> }> {
  const seen: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>other</title><a id="next" href="/next">next</a>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: NodeJS.Dict<string | string[]> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: app.port, path, headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

test('the token reaches no other server on 127.0.0.1 that the same browser visits', async (t) => {
  const other = await startOtherServer();
  t.after(() => other.close());
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());

  // The page connects with the token it took from its URL, and takes it out of the address bar.
  await eventually(async () => assert.equal(await page.locator('.engine-status').getAttribute('data-status'), 'open'));
  assert.deepEqual(pageErrors, [], 'the app logged no errors');
  const addressBar = page.url(); // checked last: first, what the other server gets

  // From the app to the other server by a link (Referer, cookies), then by the address bar.
  await page.evaluate((href) => {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = 'out';
    document.body.append(a);
    a.click();
  }, `${other.origin}/from-link`);
  await page.waitForURL(`${other.origin}/from-link`);
  await page.click('#next');
  await page.waitForURL(`${other.origin}/next`);
  await page.goto(`${other.origin}/typed`);

  // What a script of the other server can read in this browser.
  const readable = await page.evaluate(() =>
    JSON.stringify({ cookie: document.cookie, session: { ...sessionStorage }, local: { ...localStorage } }),
  );
  assert.ok(!readable.includes(app.token), `the other origin's script reads no token: ${readable}`);
  // Nor can its page use the app's bridge, token or not: the Origin is not the app's.
  const opened = await page.evaluate(
    (url) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve(true);
        ws.onerror = () => resolve(false);
      }),
    `ws://127.0.0.1:${app.port}/api`,
  );
  assert.equal(opened, false, "the other origin's page cannot open the app's bridge");

  assert.deepEqual(
    other.seen.map((r) => r.url).filter((url) => url !== '/favicon.ico'),
    ['/from-link', '/next', '/typed'],
    'the other server saw the three visits (and the favicon requests, checked below too)',
  );
  for (const req of other.seen) {
    const sent = JSON.stringify({ url: req.url, headers: req.headers });
    assert.ok(!sent.includes(app.token), `no token in what the other server received: ${sent}`);
    assert.equal(req.headers.cookie, undefined, `no cookie at all reaches ${req.url}`);
  }
  assert.ok(!addressBar.includes(app.token), `the page took the token out of the address bar: ${addressBar}`);
});

test('the page keeps its access across a reload, and no response sets a cookie', async (t) => {
  const { page, context } = await openApp(browser, app.url);
  t.after(() => context.close());
  await eventually(async () => assert.equal(await page.locator('.engine-status').getAttribute('data-status'), 'open'));
  await page.reload();
  await eventually(async () => assert.equal(await page.locator('.engine-status').getAttribute('data-status'), 'open'));
  assert.deepEqual(await context.cookies(), [], 'the browser holds no cookie for the app');

  const page0 = await get(`/?token=${app.token}`);
  assert.equal(page0.headers['set-cookie'], undefined);
  assert.equal(page0.headers['referrer-policy'], 'no-referrer');
});

test('every way into the engine needs the token: the API over HTTP and WebSocket; nothing off 127.0.0.1; the engine socket 0600', async () => {
  // HTTP: /api is only the WebSocket; without the token it is 401 whatever else is sent.
  assert.equal((await get('/api')).status, 401);
  assert.equal((await get('/api', { authorization: 'Bearer wrong' })).status, 401);
  assert.equal((await get(`/api?token=${app.token}`)).status, 401, 'a token in the URL is not accepted by the API');
  assert.equal((await get('/api', { cookie: `stevedore_token=${app.token}` })).status, 401, 'nor in a cookie');
  assert.equal((await get('/api', { authorization: `Bearer ${app.token}` })).status, 426, 'with it: use the WebSocket');

  // WebSocket, from the app's own origin.
  const refused = async (access: Parameters<typeof connectBridge>[1], why: string) =>
    assert.equal((await connectBridge(app, access, app.origin)).refusedWith, 403, why);
  await refused({}, 'no token');
  await refused({ token: 'wrong' }, 'a wrong token');
  await refused({ query: `?token=${app.token}` }, 'the token in the URL (it would land in logs and history)');
  await refused({ headers: { cookie: `stevedore_token=${app.token}` } }, 'the token in a cookie');
  const own = await connectBridge(app, { token: app.token }, app.origin);
  assert.ok(own.socket, 'the token as the page sends it opens the bridge');
  const info = await invokeOverBridge(own.socket, 'engine.info', {});
  own.socket.close();
  assert.ok(info.ok);
  assert.equal((await connectBridge(app, { token: app.token }, 'http://127.0.0.1:1')).refusedWith, 403, 'another port');

  // The other ways in: the web server binds 127.0.0.1 only, the engine socket (no token) is 0600.
  const reached = await new Promise<boolean>((resolve) => {
    const socket = connect(app.port, '127.0.0.2');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  assert.equal(reached, false, 'another loopback address does not reach the web server');
  const mode = statSync(join(root, 'engine.sock')).mode & 0o777;
  assert.equal(mode, 0o600, 'the engine socket (no token) is for its owner only');
});
