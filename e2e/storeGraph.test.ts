import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { loadImages } from './support/images';
import { COUNT, graphTiming, storeOf200 } from './support/storeGraph';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// Made at the top level: tempDir's cleanup hook then belongs to the file, not to a hook.
const root = tempDir();
const work = tempDir();
let browser: Browser;
let app: WebApp;

before(async () => {
  const browserReady = launchBrowser();
  await loadImages(root, work, await storeOf200());
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

test(`the store graph lays out ${COUNT} images, with shared base layers as shared nodes (its timings are npm run bench's)`, async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.getByTestId('image-row').first().waitFor();
  await page.getByTestId('nav-store-graph').click();
  const shared = await graphTiming(page);
  assert.equal(page.workers().length, 1, 'ELK ran in its worker, off the page’s thread');
  // One card per image, and the three base layers once each.
  assert.equal(shared.nodes, COUNT + 3);
  assert.equal(await visibleText(page.getByTestId('store-graph-summary')), `${COUNT} images · 3 shared blobs`);
  const base = page.locator('[data-testid="dag-node"][data-shared="true"]').first();
  await base.waitFor();
  assert.match(
    await visibleText(base.getByTestId('dag-node-shared')),
    /^Shared with 100 images: team-\d\/svc-\d{3}:1, team-\d\/svc-\d{3}:1, …$/,
  );
  await page.screenshot({ path: screenshotPath('store-graph') });

  // Every blob: manifests, configs and layers, the shared ones still single nodes.
  await page.getByTestId('graph-detail-every').click();
  await eventually(async () =>
    assert.equal(await page.getByTestId('store-graph').getAttribute('data-node-count'), String(COUNT * 3 + 3)),
  );
  const every = await graphTiming(page);
  assert.equal(every.nodes, COUNT * 3 + 3);

  // Filtered to one repository of the four: its 50 images and the bases they stand on.
  await page.getByTestId('graph-detail-shared').click();
  await page.getByRole('combobox', { name: 'Filter by repository' }).fill('team-1');
  await eventually(async () =>
    assert.equal(await visibleText(page.getByTestId('store-graph-summary')), `50 of ${COUNT} images · 1 shared blob`),
  );
  await eventually(async () => assert.equal(await page.getByTestId('store-graph').getAttribute('data-node-count'), '51'));
  await graphTiming(page);
  const names = await page.getByTestId('graph-image').evaluateAll((cards) => cards.map((c) => c.textContent ?? ''));
  assert.ok(names.length > 0 && names.every((n) => n.startsWith('team-1/')), names.join(', '));

  // A shared blob names every image that holds it.
  await page.locator('[data-testid="dag-node"][data-shared="true"]').first().locator('.dag-card__kind').click();
  const panel = page.getByTestId('store-node-panel');
  await panel.waitFor();
  assert.equal((await visibleText(panel.getByTestId('store-node-names'))).split('\n').length, 100);
  await page.screenshot({ path: screenshotPath('store-graph-filtered') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('store-graph-filtered-dark') });
  assert.deepEqual(pageErrors, []);
});
