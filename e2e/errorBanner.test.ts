import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { Engine } from '../core/engine';
import { startWebServer } from '../core/server/webServer';
import { stevedore } from '../testkit/cli';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { demoImage, loadImages } from './support/images';
import { visibleText } from './support/visibleText';
import { startWebApp } from './support/webApp';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser.close());

test("a failing engine call shows the engine's sentence in a dismissible banner", async (t) => {
  const root = tempDir();
  await loadImages(root, tempDir(), [await demoImage('demo/web:1.0')]);
  const app = await startWebApp(root);
  t.after(() => app.stop());
  const { page, context } = await openApp(browser, app.url);
  t.after(() => context.close());
  await eventually(async () => assert.equal(await page.getByTestId('image-row').count(), 1));
  assert.equal(await page.getByRole('alert').count(), 0);

  // Break the store under the running engine.
  writeFileSync(join(root, 'oci', 'index.json'), '{"schemaVersion": 2, "manifests": [');
  const cli = stevedore(root, ['images']);
  assert.notEqual(cli.code, 0);
  const sentence = cli.stderr.trim().replace(/^error: /, '');
  assert.match(sentence, /index\.json/, 'the engine names what is wrong');

  await page.reload();
  const banner = page.getByTestId('error-banner');
  await banner.waitFor();
  assert.equal(await banner.getAttribute('role'), 'alert');
  // The banner starts the engine's sentence with a capital; the rest is the engine's, verbatim.
  assert.equal(await visibleText(banner.getByTestId('error-message')), sentence.charAt(0).toUpperCase() + sentence.slice(1));
  assert.equal(await page.getByTestId('images-error').count(), 1, 'the list says it could not load');
  await page.screenshot({ path: screenshotPath('error-banner') });

  await banner.getByRole('button', { name: 'Dismiss' }).click();
  assert.equal(await page.getByTestId('error-banner').count(), 0);
});

test('losing the engine shows a reconnecting banner, not an error per call', async (t) => {
  const root = tempDir();
  const app = await startWebApp(root);
  t.after(() => app.stop());
  const { page, context } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.getByTestId('images-empty').waitFor();
  assert.equal(await page.getByTestId('connection-banner').count(), 0);
  // Any error banner from here on, however briefly: one for a failed call goes away once it succeeds.
  await page.evaluate(() => {
    const seen = document.createElement('meta');
    seen.id = 'error-banner-seen';
    document.head.append(seen);
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="error-banner"]')) seen.dataset.seen = 'yes';
    }).observe(document.body, { childList: true, subtree: true });
  });
  // The calls the page puts on the wire from now on (the sockets it opens to reconnect), and the answers.
  const sent = new Map<number, string>();
  const answered = new Set<number>();
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { kind: string; id?: number; method?: string };
      if (frame.kind === 'invoke') sent.set(frame.id!, frame.method!);
    });
    socket.on('framereceived', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { kind: string; id?: number };
      if (frame.kind === 'result') answered.add(frame.id!);
    });
  });

  await app.stop();
  const banner = page.getByTestId('connection-banner');
  await banner.waitFor();
  assert.equal(await visibleText(banner), 'Lost connection to the engine; reconnecting…');
  assert.equal(await banner.getAttribute('role'), 'alert');
  // A call made while the engine is away (the Registries view's list, which nothing else asks
  // for) waits for it, rather than failing into an error banner.
  await page.getByTestId('nav-registries').click();
  await page.getByText('Loading registries…').waitFor();
  await page.screenshot({ path: screenshotPath('connection-lost') });

  // The engine comes back at the same address with the same token, which the page kept.
  const server = await startWebServer(new Engine(root), { port: app.port, token: app.token });
  t.after(() => server.close());
  await eventually(() => {
    assert.ok([...sent.values()].includes('registry.list'), 'the call made while away is sent once the engine is back');
    assert.deepEqual(
      [...sent].filter(([id]) => !answered.has(id)),
      [],
      'every call sent has been answered',
    );
  });
  await page.getByTestId('registries-summary').waitFor();
  assert.equal(await page.getByTestId('connection-banner').count(), 0);
  assert.equal(await page.locator('#error-banner-seen').getAttribute('data-seen'), null, 'no error banner was shown');
});
