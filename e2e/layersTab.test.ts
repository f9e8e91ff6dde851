import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ImageDiff } from '../core/api/layers.schema';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { cliJson, loadImages } from './support/images';
import { twoImagesOnOneBase } from './support/layeredImages';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// Made at the top level: tempDir's cleanup hook then belongs to the file, not to a hook.
const root = tempDir();
const work = tempDir();
let browser: Browser;
let app: WebApp;
let diff: ImageDiff;

before(async () => {
  const browserReady = launchBrowser();
  await loadImages(root, work, await twoImagesOnOneBase());
  diff = cliJson<ImageDiff>(root, ['diff', 'layers/app:1']);
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** The colours theme.css gives added and removed paths in the light theme (--added, --removed). */
const ADDED_LIGHT = 'rgb(19, 122, 58)';
const REMOVED_LIGHT = 'rgb(180, 35, 24)';

test('the first layer’s files show while the efficiency, computed over every layer, is still coming', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  t.after(() => context.close());
  // Between the page and the engine: the answers to images.diff are held back until released.
  const diffCalls = new Set<number>();
  const held: (() => void)[] = [];
  await context.routeWebSocket(/./, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const sent = JSON.parse(String(message)) as { method?: string; id?: number };
      if (sent.method === 'images.diff' && sent.id !== undefined) diffCalls.add(sent.id);
      server.send(message);
    });
    server.onMessage((message) => {
      const id = Number(/"id":(\d+)/.exec(String(message))?.[1]);
      if (diffCalls.has(id)) held.push(() => ws.send(message));
      else ws.send(message);
    });
  });
  const page = await context.newPage();
  await page.goto(app.url);
  await page.locator('[data-key="docker.io/layers/app:1"]').click();
  const detail = page.getByTestId('image-detail');
  await detail.getByTestId('layers-table').waitFor();
  await detail.getByRole('tab', { name: 'Layers' }).click();

  await detail.getByTestId('layer-tree').getByTestId('tree-row').first().waitFor();
  assert.match(await visibleText(detail.getByTestId('layer-files')), /Layer 1 of 2/i);
  assert.ok(await detail.getByTestId('layers-loading').isVisible(), 'the efficiency is still being read');
  assert.equal(await detail.getByTestId('layer-item').count(), 0);
  assert.ok(held.length > 0, 'the diff was asked for and held');

  for (const release of held.splice(0)) release();
  await detail.getByTestId('efficiency-score').waitFor();
  await eventually(async () => assert.equal(await detail.getByTestId('layer-item').count(), 2));
  assert.equal(await detail.getByTestId('layers-loading').count(), 0);
});

test('the Layers tab colours what a layer added, modified and removed, with a letter for each', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.locator('[data-key="docker.io/layers/app:1"]').click();
  const detail = page.getByTestId('image-detail');
  await detail.getByRole('tab', { name: 'Layers' }).click();

  // The layer list: the step that made each layer, and the engine's counts.
  const items = detail.getByTestId('layer-item');
  await eventually(async () => assert.equal(await items.count(), 2));
  const appLayer = diff.layers[1];
  assert.ok(appLayer);
  assert.deepEqual([appLayer.added, appLayer.modified, appLayer.removed], [2, 1, 1]);
  const second = await visibleText(items.nth(1));
  assert.match(second, /RUN rm \/etc\/removed\.conf && echo app/);
  assert.match(second, /\+2\s*~1\s*−1/);

  // The efficiency figures are the engine's, and name the path stored twice.
  const efficiency = diff.efficiency;
  assert.equal(
    await visibleText(detail.getByTestId('efficiency-score')),
    `${(Math.floor(efficiency.score * 1000) / 10).toFixed(1)} %`,
  );
  await detail.getByTestId('wasted-paths').locator('summary').click();
  assert.match(await visibleText(detail.getByTestId('wasted-paths')), /\/etc\/os-release\s+2/);

  // Layer 2's own changes.
  await items.nth(1).click();
  assert.equal(await items.nth(1).getAttribute('aria-pressed'), 'true');
  const tree = detail.getByTestId('layer-tree');
  const row = (path: string) => tree.locator(`[data-testid="tree-row"][data-path="${path}"]`);
  await row('app/added.txt').waitFor();

  const added = row('app/added.txt');
  assert.equal(await added.getAttribute('data-change'), 'added');
  assert.match((await added.getAttribute('class')) ?? '', /\bis-added\b/);
  assert.equal(await visibleText(added.locator('.change-mark')), 'A');
  assert.equal(await added.locator('.change-mark').getAttribute('title'), 'Added');
  assert.match(await visibleText(added), /added\.txt[\s\S]*21B/);

  const removed = row('etc/removed.conf');
  assert.equal(await removed.getAttribute('data-change'), 'removed');
  assert.match((await removed.getAttribute('class')) ?? '', /\bis-removed\b/);
  assert.equal(await visibleText(removed.locator('.change-mark')), 'D');
  assert.equal(await removed.locator('.change-mark').getAttribute('title'), 'Removed');

  assert.equal(await row('etc/os-release').getAttribute('data-change'), 'modified');
  assert.equal(await visibleText(row('etc/os-release').locator('.change-mark')), 'M');

  // Distinct colours, the theme's: green for added, red (and struck through) for removed.
  const style = (path: string) =>
    row(path)
      .locator('.tree-row__label')
      .evaluate((el) => ({ color: getComputedStyle(el).color, line: getComputedStyle(el).textDecorationLine }));
  assert.deepEqual(await style('app/added.txt'), { color: ADDED_LIGHT, line: 'none' });
  assert.deepEqual(await style('etc/removed.conf'), { color: REMOVED_LIGHT, line: 'line-through' });
  await page.screenshot({ path: screenshotPath('layers-tab') });

  // Everything up to this layer: the base's files too, unchanged, and the removal still shown.
  await detail.getByTestId('scope-aggregate').click();
  await row('bin/sh').waitFor();
  assert.equal(await row('bin/sh').getAttribute('data-change'), 'unmodified');
  assert.equal(await row('etc/removed.conf').getAttribute('data-change'), 'removed');
  assert.equal(await row('app/added.txt').getAttribute('data-change'), 'added');

  // The path filter keeps matches and the directories that lead to them.
  await detail.getByTestId('path-filter').fill('os-rel');
  await eventually(async () =>
    assert.deepEqual(await tree.getByTestId('tree-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path'))), [
      'etc',
      'etc/os-release',
    ]),
  );

  // Collapsing a directory hides what is below it.
  await detail.getByTestId('path-filter').fill('');
  await row('etc').locator('.tree-row__toggle').click();
  await eventually(async () => assert.equal(await row('etc/os-release').count(), 0));
  assert.equal(await row('etc').getAttribute('aria-expanded'), 'false');

  // The keyboard does what the mouse does: Right unfolds, Down moves, Left goes up, then folds.
  await row('etc').click();
  assert.equal(await row('etc').getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowRight');
  await eventually(async () => assert.equal(await row('etc').getAttribute('aria-expanded'), 'true'));
  await page.keyboard.press('ArrowDown');
  await eventually(async () => assert.equal(await row('etc/os-release').getAttribute('aria-selected'), 'true'));
  assert.match(
    await visibleText(detail.getByTestId('tree-selection')),
    /^\/etc\/os-release\s+modified · file · -rw-r--r-- · owner 0:0 · 15B/,
  );
  await page.keyboard.press('ArrowLeft');
  await eventually(async () => assert.equal(await row('etc').getAttribute('aria-selected'), 'true'));
  await page.keyboard.press('ArrowLeft');
  await eventually(async () => assert.equal(await row('etc').getAttribute('aria-expanded'), 'false'));

  await page.emulateMedia({ colorScheme: 'dark' });
  await row('etc').locator('.tree-row__toggle').click();
  await detail.getByTestId('scope-layer').click();
  await row('app/added.txt').waitFor();
  const darkAdded = await style('app/added.txt');
  assert.notEqual(darkAdded.color, ADDED_LIGHT, 'the dark theme has its own green');
  assert.notEqual(darkAdded.color, (await style('etc/removed.conf')).color);
  await page.screenshot({ path: screenshotPath('layers-tab-dark') });
  assert.deepEqual(pageErrors, []);
});
