import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ImageDetail, ImageSummary } from '../core/api/images.schema';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { cliJson, demoImage, loadImages } from './support/images';
import { visibleText } from './support/visibleText';
import { startWebApp } from './support/webApp';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser.close());

/** `inspect --json` replaces the raw documents with parsed ones. */
type InspectJson = Omit<ImageDetail, 'manifestJson' | 'configJson'> & { manifest: unknown; imageConfig: unknown };

const short = (digest: string) => digest.slice('sha256:'.length, 'sha256:'.length + 12);

test('a loaded image is listed, and its detail shows what the CLI reports', async (t) => {
  const root = tempDir();
  const [written] = await loadImages(root, tempDir(), [await demoImage('demo/web:1.0')]);
  assert.ok(written);
  const [listed] = cliJson<ImageSummary[]>(root, ['images']);
  assert.ok(listed);
  const inspected = cliJson<InspectJson>(root, ['inspect', 'demo/web:1.0']);
  // The CLI agrees with what was written; the UI must agree with the CLI.
  assert.equal(inspected.id, written.configDigest);
  assert.equal(inspected.manifestDigest, written.manifestDigest);

  const app = await startWebApp(root);
  t.after(() => app.stop());
  const { page, context, pageErrors } = await openApp(browser, app.url, { clipboard: true });
  t.after(() => context.close());

  const rows = page.getByTestId('image-row');
  await eventually(async () => assert.equal(await rows.count(), 1));
  const row = rows.first();
  assert.equal(await visibleText(row.getByTestId('row-repository')), 'demo/web');
  assert.equal(await visibleText(row.getByTestId('row-tag')), '1.0');
  assert.equal(await visibleText(row.getByTestId('row-id')), short(listed.id));
  assert.match(await visibleText(row), /1\.\d\dMB/, 'the size, as formatBytes prints it');
  await page.screenshot({ path: screenshotPath('image-list') });

  await row.click();
  assert.equal(await row.getAttribute('aria-selected'), 'true');
  const detail = page.getByTestId('image-detail');
  await detail.getByTestId('detail-manifest-digest').waitFor();
  assert.equal(await visibleText(detail.getByTestId('detail-title')), 'demo/web:1.0');
  assert.equal(await visibleText(detail.getByTestId('detail-manifest-digest')), listed.digest);
  assert.equal(await visibleText(detail.getByTestId('detail-manifest-digest')), inspected.manifestDigest);
  assert.equal(await visibleText(detail.getByTestId('detail-image-id')), inspected.id);
  assert.equal(await visibleText(detail.getByTestId('detail-media-type')), inspected.mediaTypeLabel);
  assert.equal(await visibleText(detail.getByTestId('detail-names')), 'docker.io/demo/web:1.0');

  // One table row per layer, in order, with the layer's digest, media type and diff ID.
  const layerRows = detail.getByTestId('layer-row');
  assert.equal(await layerRows.count(), inspected.layers.length);
  assert.equal(inspected.layers.length, 2);
  for (const [i, layer] of inspected.layers.entries()) {
    const layerRow = layerRows.nth(i);
    assert.equal(await layerRow.getAttribute('data-digest'), layer.digest);
    const text = await visibleText(layerRow);
    assert.ok(text.includes(short(layer.digest)), `layer ${i + 1} shows its digest`);
    assert.ok(layer.diffId && text.includes(short(layer.diffId)), `layer ${i + 1} shows its diff ID`);
    assert.match(text, /OCI, gzip/);
  }

  // Overview and layers fit the first screen of the panel.
  await page.screenshot({ path: screenshotPath('image-detail') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('image-detail-dark') });

  // The config as the image declares it.
  assert.equal(await visibleText(detail.getByTestId('config-cmd').locator('dd')), '["/bin/sh","-c","echo hello from stevedore"]');
  assert.match(await visibleText(detail.getByTestId('config-env')), /APP_MODE\s+demo/);
  assert.equal(await visibleText(detail.getByTestId('config-ports')), '8080/tcp');
  assert.match(await visibleText(detail.getByTestId('config-labels')), /com\.example\.team\s+e2e/);
  const steps = detail.getByTestId('history-step');
  assert.equal(await steps.count(), 3);
  assert.match(await visibleText(steps.nth(1)), /ENV APP_MODE=demo[\s\S]*no layer/);
  assert.doesNotMatch(await visibleText(steps.nth(0)), /no layer/);

  // The raw manifest names the config blob: the image ID.
  await detail.getByTestId('raw-manifest').locator('summary').click();
  assert.ok((await visibleText(detail.getByTestId('raw-manifest').locator('pre'))).includes(inspected.id));

  // Copying a layer digest copies all of it, not the 12 characters shown.
  const firstLayer = inspected.layers[0];
  assert.ok(firstLayer);
  await detail.getByRole('button', { name: 'Copy digest of layer 1' }).click();
  await eventually(async () => assert.equal(await page.evaluate(() => navigator.clipboard.readText()), firstLayer.digest));

  await detail.getByRole('button', { name: 'Close details' }).click();
  assert.equal(await page.getByTestId('image-detail').count(), 0);
  assert.deepEqual(pageErrors, []);
});
