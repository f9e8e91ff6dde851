import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { loadImages } from './support/images';
import { graphTiming, storeOf } from './support/storeGraph';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

const IMAGES = 1000;

// Made at the top level: tempDir's cleanup hook then belongs to the file, not to a hook.
const root = tempDir();
const work = tempDir();
let browser: Browser;
let app: WebApp;

before(async () => {
  const browserReady = launchBrowser();
  await loadImages(root, work, await storeOf(IMAGES));
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

test(`the store graph of ${IMAGES.toLocaleString('en-US')} images groups the images on the same base, and a group opens in Images`, async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.getByTestId('image-row').first().waitFor();
  await page.getByTestId('nav-store-graph').click();
  const timing = await graphTiming(page);
  // Two groups (the two-layer base, the one-layer base) and the three base layers: not 1,003 cards.
  assert.equal(timing.nodes, 5);
  assert.equal(await visibleText(page.getByTestId('store-graph-summary')), '1,000 images · 3 shared blobs');
  const groups = page.getByTestId('graph-image-group');
  await eventually(async () => assert.equal(await groups.count(), 2));
  assert.deepEqual(await groups.evaluateAll((g) => g.map((e) => e.getAttribute('data-group-count'))), ['500', '500']);
  assert.match(await visibleText(groups.first()), /^500 images/);
  await page.screenshot({ path: screenshotPath('store-graph-1000-grouped') });

  // A group names each of its images, and shows them in Images.
  await groups.first().click();
  const panel = page.getByTestId('store-node-panel');
  await panel.waitFor();
  assert.equal((await visibleText(panel.getByTestId('store-node-names'))).split('\n').length, 500);
  await panel.getByTestId('store-group-show').click();
  await eventually(async () => assert.equal(await visibleText(page.getByTestId('images-summary')), '500 of 1,000 images'));

  // One repository: its 250 images, all on the one-layer base, are still more than the limit: one group.
  await page.getByTestId('nav-store-graph').click();
  await page.getByRole('combobox', { name: 'Filter by repository' }).fill('team-1');
  await eventually(async () => assert.equal(await page.getByTestId('store-graph').getAttribute('data-node-count'), '2'), 30_000);
  await eventually(async () =>
    assert.deepEqual(await groups.evaluateAll((g) => g.map((e) => e.getAttribute('data-group-count'))), ['250']),
  );
  assert.deepEqual(pageErrors, []);
});
