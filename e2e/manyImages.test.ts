import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ImageSummary } from '../core/api/images.schema';
import { makeLayer } from '../testkit/layers';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { cliJson, loadImages } from './support/images';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

const COUNT = 2000;
/** Far fewer than COUNT: what proves the list renders a window, not every row. */
const MAX_ROWS_IN_DOM = 80;

// Made at the top level: tempDir's cleanup hook then belongs to the file, not to a hook.
const root = tempDir();
const work = tempDir();
let browser: Browser;
let app: WebApp;
let listed: ImageSummary[];

before(async () => {
  // Tiny images sharing one layer, each with its own config (so its own ID), in one `load`.
  const layer = await makeLayer([{ path: 'hello.txt', content: 'hello\n' }]);
  const images = Array.from({ length: COUNT }, (_, i) => ({
    refName: `bulk/app-${String(i).padStart(4, '0')}:v${i % 5}`,
    layers: [layer],
    config: { Cmd: ['/hello'], Labels: { n: String(i) } },
  }));
  const browserReady = launchBrowser();
  await loadImages(root, work, images);
  listed = cliJson<ImageSummary[]>(root, ['images']);
  assert.equal(listed.length, COUNT);
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

test(`${COUNT.toLocaleString('en-US')} images render as a window of rows that scrolls`, async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const rows = page.getByTestId('image-row');
  const listbox = page.getByRole('listbox', { name: 'Images' });

  await eventually(async () => assert.equal(await visibleText(page.getByTestId('images-summary')), '2,000 images'), 15_000);
  const first = await rows.count();
  assert.ok(first > 5 && first < MAX_ROWS_IN_DOM, `${first} rows in the DOM at the top`);
  const firstImage = listed[0];
  const lastImage = listed[COUNT - 1];
  assert.ok(firstImage?.reference && lastImage?.reference);
  assert.equal(await rows.first().getAttribute('data-key'), firstImage.reference);
  // The list is as tall as all its rows, so the scrollbar means what it says.
  const scrollHeight = await listbox.evaluate((el) => el.scrollHeight);
  assert.ok(scrollHeight >= COUNT * 40, `scroll height ${scrollHeight}`);

  // Halfway, then to the end: each time a fresh window of rows, never all of them.
  await listbox.evaluate((el) => {
    el.scrollTop = el.scrollHeight / 2;
  });
  const middle = listed[COUNT / 2];
  assert.ok(middle?.reference);
  await page.locator(`[data-key="${middle.reference}"]`).waitFor();
  assert.ok((await rows.count()) < MAX_ROWS_IN_DOM);

  await listbox.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  const lastRow = page.locator(`[data-key="${lastImage.reference}"]`);
  await lastRow.waitFor();
  assert.ok(await lastRow.isVisible());
  assert.ok((await rows.count()) < MAX_ROWS_IN_DOM);
  assert.equal(await page.locator(`[data-key="${firstImage.reference}"]`).count(), 0, 'the first row left the DOM');
  await page.screenshot({ path: screenshotPath('many-images') });

  // Home from the keyboard jumps back and selects the first image.
  await listbox.focus();
  await page.keyboard.press('Home');
  await eventually(async () => assert.equal(await rows.first().getAttribute('aria-selected'), 'true'));
  assert.equal(await visibleText(page.getByTestId('detail-title')), `${firstImage.repository}:${firstImage.tag}`);
  assert.ok((await rows.count()) < MAX_ROWS_IN_DOM);

  // Search across all of them.
  await page.getByRole('searchbox', { name: 'Search images' }).fill('app-1999');
  await eventually(async () => assert.deepEqual(await page.getByTestId('row-repository').allInnerTexts(), ['bulk/app-1999']));
  assert.deepEqual(pageErrors, []);
});
