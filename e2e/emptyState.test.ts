import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { visibleText } from './support/visibleText';
import { startWebApp } from './support/webApp';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser.close());

test('an empty store explains how to get a first image', async (t) => {
  const app = await startWebApp(tempDir());
  t.after(() => app.stop());
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());

  const empty = page.getByTestId('images-empty');
  await empty.waitFor();
  const text = await visibleText(empty);
  assert.match(text, /No images yet/);
  assert.match(text, /OCI image layout/);
  assert.match(text, /docker save/);
  assert.match(text, /Or pull one from a registry/);
  assert.equal(await visibleText(page.getByTestId('empty-pull-button')), 'Pull');
  assert.equal(await page.getByTestId('load-command').textContent(), 'stevedore load -i PATH');
  assert.equal(await visibleText(page.getByTestId('images-summary')), '0 images');
  assert.equal(await page.getByTestId('image-row').count(), 0);
  assert.equal(await page.getByRole('alert').count(), 0, 'no banner on a healthy, empty store');
  await page.screenshot({ path: screenshotPath('empty-state') });

  // The theme follows the operating system's preference.
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  assert.notEqual(dark, light);
  await page.screenshot({ path: screenshotPath('empty-state-dark') });

  // The theme switch overrides the system's choice, and can hand it back.
  await page.emulateMedia({ colorScheme: 'light' });
  const darkButton = page.getByRole('button', { name: 'Dark theme' });
  await darkButton.click();
  assert.equal(await darkButton.getAttribute('aria-pressed'), 'true');
  assert.equal(await background(), dark);
  await page.getByRole('button', { name: 'Follow the system theme' }).click();
  assert.equal(await background(), light);

  assert.deepEqual(pageErrors, []);
});
