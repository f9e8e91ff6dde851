import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ImageComparison } from '../core/api/layers.schema';
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
let comparison: ImageComparison;

before(async () => {
  const browserReady = launchBrowser();
  await loadImages(root, work, await twoImagesOnOneBase());
  comparison = cliJson<ImageComparison>(root, ['diff', 'layers/app:1', 'layers/tool:1']);
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

test('Compare shows the layers two images share and the files that differ between them', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());

  // From an image's detail: it becomes the first side; the second is picked in the view.
  await page.locator('[data-key="docker.io/layers/app:1"]').click();
  await page.getByRole('button', { name: 'Compare with another image' }).click();
  assert.equal(await page.getByTestId('nav-compare').getAttribute('aria-current'), 'page');
  assert.equal(await page.getByLabel('From').inputValue(), 'docker.io/layers/app:1');
  await page.getByTestId('compare-hint').waitFor();
  await page.getByLabel('To').selectOption({ label: 'layers/tool:1' });

  // Layers: the base, stored once for both, and one of each image's own.
  const shared = page.getByTestId('compare-shared');
  await shared.waitFor();
  const digests = async (testId: string) =>
    page
      .getByTestId(testId)
      .getByTestId('compare-layer')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-digest')));
  assert.equal(comparison.sharedLayers.length, 1);
  assert.deepEqual(await digests('compare-shared'), comparison.sharedLayers);
  assert.deepEqual(await digests('compare-left-only'), comparison.leftOnlyLayers);
  assert.deepEqual(await digests('compare-right-only'), comparison.rightOnlyLayers);
  assert.match(await visibleText(shared), /stored once for both/);
  assert.match(await visibleText(page.getByTestId('compare-left-only')), /Only in layers\/app:1/);

  // Files, from the first image to the second: the app's files are gone, the tool's are new,
  // and etc/removed.conf (deleted in app, still in tool) comes back.
  const tree = page.getByTestId('compare-tree');
  const row = (path: string) => tree.locator(`[data-testid="tree-row"][data-path="${path}"]`);
  await row('srv/tool').waitFor();
  const expected = new Map(comparison.changes.map((c) => [c.path, c.change]));
  assert.equal(expected.get('srv/tool'), 'added');
  assert.equal(expected.get('app/added.txt'), 'removed');
  assert.equal(expected.get('etc/os-release'), 'modified');
  for (const [path, change] of expected) {
    assert.equal(await row(path).getAttribute('data-change'), change, path);
  }
  assert.equal(await visibleText(row('srv/tool').locator('.change-mark')), 'A');
  assert.equal(await visibleText(row('app/added.txt').locator('.change-mark')), 'D');
  // etc is unchanged between them: drawn only to hold its changed files, with no mark.
  assert.equal(await row('etc').getAttribute('data-change'), 'none');
  const count = (kind: string) => comparison.changes.filter((c) => c.change === kind).length;
  assert.deepEqual((await visibleText(page.getByTestId('compare-counts'))).split(/\s+/), [
    `+${count('added')}`,
    `~${count('modified')}`,
    `−${count('removed')}`,
  ]);
  await page.screenshot({ path: screenshotPath('compare') });

  // Swapping the sides turns additions into removals.
  await page.getByRole('button', { name: 'Swap the two images' }).click();
  await eventually(async () => assert.equal(await row('srv/tool').getAttribute('data-change'), 'removed'));
  assert.equal(await row('app/added.txt').getAttribute('data-change'), 'added');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('compare-dark') });
  assert.deepEqual(pageErrors, []);
});
