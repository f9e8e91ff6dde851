import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { randomLayer } from '../testkit/layers';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { loadImages } from './support/images';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// Issue 18: Images sorts by name, created and size from its column headers, and shows how much
// disk the store takes (blobs, snapshots, containers, build cache).
let browser: Browser;
let app: WebApp;
const root = tempDir('stevedore-e2e-image-sort-');
const work = tempDir('stevedore-e2e-image-sort-work-');

// Name, creation and size each put them in a different order.
const images = [
  { name: 'bravo', created: '2024-03-01T00:00:00Z', bytes: 50_000 },
  { name: 'alpha', created: '2022-01-01T00:00:00Z', bytes: 150_000 },
  { name: 'charlie', created: '2023-06-01T00:00:00Z', bytes: 5_000 },
];

before(async () => {
  await loadImages(
    root,
    work,
    await Promise.all(
      images.map(async (i) => ({
        refName: `${i.name}:1`,
        created: i.created,
        layers: [await randomLayer(i.bytes, `${i.name}.bin`)],
        config: { Cmd: [`/${i.name}`] },
      })),
    ),
  );
  [browser, app] = await Promise.all([launchBrowser(), startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

const order = (page: Page) => page.getByTestId('row-repository').allInnerTexts();

test('the Repository, Created and Size headers sort the list, a second click the other way', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await eventually(async () => assert.equal((await order(page)).length, 3));

  await page.getByRole('button', { name: 'Size' }).click();
  await eventually(async () => assert.deepEqual(await order(page), ['alpha', 'bravo', 'charlie']), 5000);
  assert.equal(await page.getByTestId('sort-size').getAttribute('data-sort'), 'descending');
  await page.screenshot({ path: screenshotPath('images-sorted-by-size') });
  await page.getByRole('button', { name: 'Size' }).click();
  await eventually(async () => assert.deepEqual(await order(page), ['charlie', 'bravo', 'alpha']), 5000);

  await page.getByRole('button', { name: 'Created' }).click();
  await eventually(async () => assert.deepEqual(await order(page), ['bravo', 'charlie', 'alpha']), 5000);
  await page.getByRole('button', { name: 'Created' }).click();
  await eventually(async () => assert.deepEqual(await order(page), ['alpha', 'charlie', 'bravo']), 5000);

  await page.getByRole('button', { name: 'Repository' }).click();
  await eventually(async () => assert.deepEqual(await order(page), ['alpha', 'bravo', 'charlie']), 5000);
  await page.getByRole('button', { name: 'Repository' }).click();
  await eventually(async () => assert.deepEqual(await order(page), ['charlie', 'bravo', 'alpha']), 5000);
  assert.equal(await page.getByTestId('sort-size').getAttribute('data-sort'), 'none', 'one column sorts at a time');
  assert.deepEqual(pageErrors, []);
});

test('the store’s disk use is shown under the list, its blobs what the blob store holds', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const usage = page.getByTestId('disk-usage');
  await usage.waitFor();
  const dir = join(root, 'oci', 'blobs', 'sha256');
  const onDisk = readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
  assert.equal(Number(await page.getByTestId('disk-blobs').getAttribute('data-bytes')), onDisk);
  for (const part of ['disk-snapshots', 'disk-containers', 'disk-build-cache'])
    assert.ok(Number.isFinite(Number(await page.getByTestId(part).getAttribute('data-bytes'))), part);
  assert.ok(Number(await usage.getAttribute('data-bytes')) >= onDisk);
  assert.match(await visibleText(usage), /Store uses .*Blobs .*Snapshots .*Containers .*Build cache/s);
  assert.ok(await usage.isVisible(), 'in view, not scrolled away');
  await page.screenshot({ path: screenshotPath('images-disk-use') });
  assert.deepEqual(pageErrors, []);
});
