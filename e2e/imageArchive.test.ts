import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ImageSummary } from '../core/api/images.schema';
import { writeLegacyDockerArchive } from '../testkit/archives';
import { stevedore } from '../testkit/cli';
import { makeLayer } from '../testkit/layers';
import { tempDir } from '../testkit/tempDir';
import { snapshotTree } from '../testkit/treeSnapshot';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { cliJson, demoImage, loadImages } from './support/images';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// Issue 18: Load (a docker archive, with its progress) and Save images from the app, as paths on
// the engine's machine; Tag an image from its row, the new name checked as it is typed.

let browser: Browser | undefined;
let app: WebApp | undefined;
after(async () => {
  await app?.stop();
  await browser?.close();
});
const work = tempDir('stevedore-e2e-image-archive-');
const root = join(work, 'store');
const archive = join(work, 'docker-save.tar');

before(async () => {
  const browserReady = launchBrowser();
  await loadImages(root, work, [await demoImage('demo/web:1.0')]);
  // Big enough that the load reports its bytes over time, as a real archive does.
  const big = await makeLayer([{ path: 'blob.bin', content: randomBytes(8 << 20) }]);
  await writeLegacyDockerArchive(archive, [big], ['archived/app:7']);
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});

const names = () =>
  cliJson<ImageSummary[]>(root, ['images'])
    .map((i) => `${i.repository}:${i.tag}`)
    .sort();

async function open(): Promise<{ page: Page; pageErrors: string[]; close: () => Promise<void> }> {
  assert.ok(browser && app);
  const { page, context, pageErrors } = await openApp(browser, app.url);
  await page.getByTestId('image-row').first().waitFor();
  return { page, pageErrors, close: () => context.close() };
}

test('Load a docker archive by its path: progress to the end, then the image is listed', async (t) => {
  const { page, pageErrors, close } = await open();
  t.after(close);
  await page.getByTestId('images-load').click();
  const dialog = page.getByTestId('load-dialog');
  // A path the engine cannot read is one line in the dialog, and the store is as it was.
  const before = snapshotTree(join(root, 'oci'));
  await dialog.getByLabel('Archive or layout').fill(join(work, 'missing.tar'));
  await dialog.getByTestId('load-submit').click();
  assert.match(await visibleText(dialog.getByTestId('load-error')), /missing\.tar does not exist/);
  assert.deepEqual(snapshotTree(join(root, 'oci')), before);
  // Said here, so not again as a toast or a failure badge.
  assert.equal(await page.getByTestId('nav-failed-count').count(), 0);
  // A relative path means nothing to the engine: refused as typed.
  await dialog.getByLabel('Archive or layout').fill('docker-save.tar');
  assert.match(await visibleText(dialog), /full path/);
  assert.ok(await dialog.getByTestId('load-submit').isDisabled());

  await dialog.getByLabel('Archive or layout').fill(archive);
  await dialog.getByTestId('load-submit').click();
  const bar = dialog.getByRole('progressbar');
  // The bytes the engine reported, all of them done: at least the 8 MiB layer (a docker archive's
  // layer.tar is read once as it is and once as the layer it becomes). The text may follow the
  // value by a render: both are waited for.
  let bytes: RegExpExecArray | null = null;
  await eventually(async () => {
    assert.equal(await bar.getAttribute('aria-valuenow'), '100');
    const text = (await bar.getAttribute('aria-valuetext')) ?? '';
    bytes = /^(\d+\.\d+)MB of (\d+\.\d+)MB$/.exec(text);
    assert.ok(bytes, `the bar says the bytes done and the total, not "${text}"`);
  });
  assert.ok(bytes);
  assert.equal(bytes[1], bytes[2]);
  assert.ok(Number(bytes[2]) >= 8.3, `${bytes[2]} MB`);
  assert.match(await visibleText(dialog.getByTestId('load-result')), /docker\.io\/archived\/app:7/);
  await page.screenshot({ path: screenshotPath('images-load-done') });
  await dialog.getByTestId('load-submit').click(); // Done
  await eventually(async () => assert.equal(await page.getByTestId('image-row').count(), 2));
  assert.deepEqual(names(), ['archived/app:7', 'demo/web:1.0']);
  assert.equal(await page.getByTestId('nav-failed-count').count(), 0);
  assert.deepEqual(pageErrors, []);
});

test('Save the picked images to a file on the engine’s machine, which loads back', async (t) => {
  const { page, pageErrors, close } = await open();
  t.after(close);
  const row = page.locator('[data-key="docker.io/demo/web:1.0"]');
  await row.getByRole('checkbox').check();
  await page.getByTestId('images-save-checked').click();
  const dialog = page.getByTestId('save-dialog');
  assert.match(await visibleText(dialog), /demo\/web:1\.0/);
  const output = join(work, 'saved.tar');
  await dialog.getByLabel('Save to').fill(output);
  await dialog.getByTestId('save-submit').click();
  await eventually(async () => assert.match(await visibleText(dialog.getByTestId('save-result')), /saved\.tar/));
  assert.ok(existsSync(output) && statSync(output).size > 0);
  const again = join(work, 'again');
  const r = stevedore(again, ['load', '-i', output]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    cliJson<ImageSummary[]>(again, ['images']).map((i) => `${i.repository}:${i.tag}`),
    ['demo/web:1.0'],
  );
  assert.deepEqual(pageErrors, []);
});

test('Tag an image from its row: the name is checked as typed, then the new name is listed', async (t) => {
  const { page, pageErrors, close } = await open();
  t.after(close);
  const row = page.locator('[data-key="docker.io/demo/web:1.0"]');
  await row.getByRole('button', { name: 'Tag demo/web:1.0' }).click();
  const dialog = page.getByTestId('tag-dialog');
  await dialog.getByLabel('New name').fill('Demo/Web:2');
  assert.match(await visibleText(dialog), /Repository names are lowercase\./);
  assert.ok(await dialog.getByTestId('tag-submit').isDisabled());
  await dialog.getByLabel('New name').fill('demo/web:2.0');
  await dialog.getByTestId('tag-submit').click();
  await eventually(async () => assert.equal(await page.locator('[data-key="docker.io/demo/web:2.0"]').count(), 1));
  assert.ok(names().includes('demo/web:2.0'));
  assert.ok(names().includes('demo/web:1.0'));
  assert.deepEqual(pageErrors, []);
});
