import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp } from './support/browser';
import { loadImages } from './support/images';
import { storeOf } from './support/storeGraph';
import { startWebApp, type WebApp } from './support/webApp';

/** More images than a tall window shows, so the page's own window and the server's tall one draw different rows. */
const IMAGES = 60;

let browser: Browser;
let app: WebApp;
const root = tempDir();
const work = tempDir();

before(async () => {
  await loadImages(root, work, await storeOf(IMAGES));
  [browser, app] = await Promise.all([launchBrowser(), startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

test('the page opened from the printed URL shows the image rows before any of its scripts runs', async (t) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1360, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(app.url);
  await page.getByTestId('image-row').first().waitFor();
  assert.equal(await page.getByTestId('images-summary').textContent(), `${IMAGES} images`);
  const names = await page.getByTestId('row-repository').allInnerTexts();
  assert.ok(names.length > 10, `rows drawn: ${names.length}`);
  // A picture of the app until its scripts run: nothing in it takes focus or a click.
  assert.equal(await page.locator('#root > [data-first-view][inert]').count(), 1);
});

test('a page asked for without the token (a reload, another tab) holds none of the store', async () => {
  const withToken = await (await fetch(app.url)).text();
  const withoutToken = await (await fetch(`${app.origin}/`)).text();
  assert.match(withToken, /data-testid="image-row"/);
  assert.doesNotMatch(withoutToken, /image-row|first-view-data/);
  assert.match(withoutToken, /<div id="root"><\/div>/);
});

test('the app takes the drawn rows over as they are and makes them live, without an error', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  // The app's chunk is held until the drawn rows are marked, so the mark is made before the app runs.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(/\/assets\/app-[^/]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(app.url, { waitUntil: 'commit' });
  const firstRow = page.getByTestId('image-row').first();
  await firstRow.waitFor();
  const firstName = await firstRow.getByTestId('row-repository').textContent();
  await firstRow.evaluate((row) => {
    row.setAttribute('data-drawn-by-server', '');
  });
  release();
  await page.locator('[data-first-view]').waitFor({ state: 'detached' });
  // The same element, not one drawn again in its place: the mark the test put on it is still there.
  const marked = page.locator('[data-testid="image-row"][data-drawn-by-server]');
  assert.equal(await marked.count(), 1);
  assert.equal(await marked.getByTestId('row-repository').textContent(), firstName);
  assert.equal(await page.locator('#root [inert]').count(), 0);
  // Live: a click selects the row and opens its detail.
  await marked.click();
  await page.getByTestId('image-detail').waitFor();
  assert.deepEqual(pageErrors, []);
});

test('a store that cannot be listed still gets its page, and the app says why', async (t) => {
  const broken = tempDir();
  await loadImages(broken, tempDir(), (await storeOf(2)).slice(0, 2));
  writeFileSync(join(broken, 'oci', 'index.json'), '{ not json');
  const brokenApp = await startWebApp(broken);
  t.after(() => brokenApp.stop());
  const html = await (await fetch(brokenApp.url)).text();
  assert.doesNotMatch(html, /image-row/);
  const { page, context } = await openApp(browser, brokenApp.url);
  t.after(() => context.close());
  await page.getByTestId('error-banner').first().waitFor();
  assert.ok(brokenApp.alive());
});

test('a theme override saved in the browser is already on the first frame that shows the drawn rows', async (t) => {
  const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1360, height: 900 } });
  t.after(() => context.close());
  // As the app saves it (the theme switch, then a new window), and a note of <html>'s theme at the
  // first frame painted with a row in it.
  await context.addInitScript(`
    localStorage.setItem('stevedore-ui', JSON.stringify({ state: { theme: 'dark' }, version: 0 }));
    window.__themeAtFirstRow = null;
    new MutationObserver((_, observer) => {
      if (!document.querySelector('[data-testid="image-row"]')) return;
      observer.disconnect();
      requestAnimationFrame(() => { window.__themeAtFirstRow = String(document.documentElement.dataset.theme); });
    }).observe(document, { childList: true, subtree: true });
  `);
  const page = await context.newPage();
  await page.goto(app.url);
  const atFirstRow = await page.waitForFunction(
    () => (window as unknown as { __themeAtFirstRow: string | null }).__themeAtFirstRow,
  );
  assert.equal(await atFirstRow.jsonValue(), 'dark');
  await page.locator('[data-first-view]').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed'), 'true');
});
