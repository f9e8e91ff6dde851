import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { stevedore } from '../testkit/cli';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { busyboxImage, removeAllContainers } from './support/containers';
import { eventually } from './support/eventually';
import { loadImages } from './support/images';
import { twoImagesOnOneBase } from './support/layeredImages';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// Issue 18, bug 7 (the smaller ones): the Run dialog's error before typing, "Shared with N
// images" as a link, the sidebar back to a list, the Containers status in full.

const work = tempDir('stevedore-e2e-bug-small-');
const root = join(work, 'store');
let browser: Browser;
let app: WebApp;
before(async () => {
  const browserReady = launchBrowser();
  await loadImages(root, work, [...(await twoImagesOnOneBase()), await busyboxImage('busybox:latest')]);
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});
after(async () => {
  removeAllContainers(root);
  await app?.stop();
  await browser?.close();
});

test('bug 7: the Run dialog says nothing is wrong before anything was typed', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.getByTestId('nav-containers').click();
  await page.getByTestId('containers-run-button').click();
  const dialog = page.getByRole('dialog', { name: 'Run a container' });
  await dialog.waitFor();
  assert.equal(await dialog.getByText('Type the image to run').count(), 0, 'no error before typing');
  await page.screenshot({ path: screenshotPath('bug7-run-dialog-untouched') });
  // Typed, then emptied: now it says so.
  const image = dialog.getByLabel('Image', { exact: true });
  await image.fill('b');
  await image.fill('');
  await dialog.getByText('Type the image to run').waitFor();
  assert.deepEqual(pageErrors, []);
});

test('bug 7: "Shared with N images" is a link that narrows Images to those images', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.locator('[data-key="docker.io/layers/app:1"]').click();
  const shared = page.getByTestId('image-detail').getByRole('button', { name: 'Shared with 1 image' });
  await shared.click();
  const rows = page.getByTestId('image-row');
  await eventually(async () => assert.equal(await rows.count(), 1));
  assert.equal(await rows.first().getAttribute('data-key'), 'docker.io/layers/tool:1');
  await page.getByTestId('images-filter').waitFor();
  await page.screenshot({ path: screenshotPath('bug7-shared-with-filter') });
  await page.getByRole('button', { name: 'Show all images' }).click();
  await eventually(async () => assert.equal(await rows.count(), 3));
  assert.deepEqual(pageErrors, []);
});

test('bug 7: a killed container shows its whole status, and Containers in the sidebar goes back to the list', async (t) => {
  t.after(() => removeAllContainers(root));
  const run = stevedore(root, ['run', '-d', '--name', 'sleeper', 'busybox:latest', 'sleep', '1000']);
  assert.equal(run.code, 0, run.stderr);
  const kill = stevedore(root, ['kill', 'sleeper']);
  assert.equal(kill.code, 0, kill.stderr);

  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.getByTestId('nav-containers').click();
  const status = page.getByTestId('container-row').getByTestId('container-status');
  await eventually(async () => assert.match(await visibleText(status), /^Exited \(137\)/));
  // Its longest form is the one of a container that has just exited: the cell must hold that
  // whole, whenever the page is looked at (the relative time shortens a second later).
  const longest = 'Exited (137) Less than a second ago';
  const fits = await status.evaluate((el, text) => {
    el.textContent = text;
    const cell = el.closest('td') ?? el;
    return cell.scrollWidth <= cell.clientWidth && el.scrollWidth <= cell.clientWidth && el.scrollHeight <= el.clientHeight + 1;
  }, longest);
  assert.ok(fits, `the status column shows "${longest}" whole`);
  await page.screenshot({ path: screenshotPath('bug7-container-status') });

  await page.getByTestId('container-open').click();
  await page.getByTestId('container-detail').waitFor();
  await page.getByTestId('nav-containers').click();
  await page.getByTestId('containers-list').waitFor();
  assert.equal(await page.getByTestId('container-detail').count(), 0);
  assert.deepEqual(pageErrors, []);
});
