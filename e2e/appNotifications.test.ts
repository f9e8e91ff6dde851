import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp } from './support/browser';
import { eventually } from './support/eventually';
import { pushRandomImage } from './support/registryImages';
import { startThrottledProxy, type ThrottledProxy } from './support/throttledProxy';
import { startWebApp, type WebApp } from './support/webApp';

// Issue 18: a long pull that ends while the window is in the background is told by the OS
// (the Notification API; in web mode, the browser's). Here the page's Notification records what
// it is asked to show, and the window says it is not focused.

let browser: Browser | undefined;
let app: WebApp | undefined;
let registry: RunningRegistry | undefined;
let proxy: ThrottledProxy | undefined;
after(async () => {
  await app?.stop();
  await proxy?.stop();
  await registry?.stop();
  await browser?.close();
});
const work = tempDir('stevedore-e2e-notifications-');

before(async () => {
  const browserReady = launchBrowser();
  registry = await startRegistry();
  await pushRandomImage({
    seedRoot: join(work, 'seed'),
    work,
    host: registry.host,
    repository: 'team/slow',
    tags: ['1'],
    layerMegabytes: [1],
  });
  // About ten seconds for the layer: longer than what counts as a long transfer (8 s).
  proxy = await startThrottledProxy(registry.port, 100_000);
  [browser, app] = await Promise.all([browserReady, startWebApp(join(work, 'store'))]);
});

test('a long pull that ends in the background is told by a notification', async (t) => {
  assert.ok(browser && app && proxy);
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  // A string, not a function: the test runner's transform would name the class with a helper the page lacks.
  await page.evaluate(`
    window.shown = [];
    class Recorded {
      static permission = 'granted';
      static requestPermission() { return Promise.resolve('granted'); }
      constructor(title, options) { window.shown.push({ title, body: (options && options.body) || '' }); }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded });
    document.hasFocus = () => false;
  `);
  await page.getByTestId('images-empty').waitFor();
  await page.getByTestId('pull-button').click();
  const dialog = page.getByTestId('pull-dialog');
  await dialog.getByTestId('pull-reference').fill(`${proxy.host}/team/slow:1`);
  await dialog.getByTestId('pull-submit').click();
  const shown = () => page.evaluate(() => (window as unknown as { shown: { title: string; body: string }[] }).shown);
  await eventually(
    async () => assert.deepEqual(await shown(), [{ title: 'Pull finished', body: `${proxy?.host}/team/slow:1` }]),
    60_000,
  );
  assert.deepEqual(pageErrors, []);
});
