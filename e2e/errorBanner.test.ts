import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
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

  await app.stop();
  const banner = page.getByTestId('connection-banner');
  await banner.waitFor();
  assert.equal(await visibleText(banner), 'Lost connection to the engine; reconnecting…');
  assert.equal(await banner.getAttribute('role'), 'alert');
  // Refetching on focus while the engine is away must not pile up error banners.
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('error-banner').count(), 0);
  await page.screenshot({ path: screenshotPath('connection-lost') });
});
