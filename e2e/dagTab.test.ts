import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ImageDetail } from '../core/api/images.schema';
import { makeLayer } from '../testkit/layers';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { cliJson, loadImages } from './support/images';
import { twoImagesOnOneBase } from './support/layeredImages';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

type InspectJson = Omit<ImageDetail, 'manifestJson' | 'configJson'>;

// Made at the top level: tempDir's cleanup hook then belongs to the file, not to a hook.
const root = tempDir();
const work = tempDir();
let browser: Browser;
let app: WebApp;
let three: InspectJson;

before(async () => {
  const browserReady = launchBrowser();
  // layers/three:1 is layers/app:1 plus a layer: it shares the base with both other images,
  // and its second layer with layers/app:1 alone.
  const [appImage, toolImage] = await twoImagesOnOneBase();
  assert.ok(appImage && toolImage);
  const extra = await makeLayer([
    { path: 'opt/', type: 'directory' },
    { path: 'opt/extra.bin', content: 'extra\n' },
  ]);
  const threeImage = {
    refName: 'layers/three:1',
    gzip: true,
    layers: [...appImage.layers, extra],
    history: [...(appImage.history ?? []), { created_by: '/bin/sh -c #(nop) COPY extra.bin /opt/' }],
  };
  await loadImages(root, work, [appImage, toolImage, threeImage]);
  three = cliJson<InspectJson>(root, ['inspect', 'layers/three:1']);
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

test('the DAG tab draws manifest, config and one node per layer, and marks the blobs other images share', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url, { clipboard: true });
  t.after(() => context.close());
  await page.locator('[data-key="docker.io/layers/three:1"]').click();
  const detail = page.getByTestId('image-detail');
  await detail.getByRole('tab', { name: 'DAG' }).click();
  const graph = detail.getByTestId('image-dag');
  await eventually(async () => assert.equal(await graph.getAttribute('data-state'), 'ready'));

  const nodes = graph.getByTestId('dag-node');
  const ofKind = (kind: string) => graph.locator(`[data-testid="dag-node"][data-kind="${kind}"]`);
  const N = three.layers.length;
  assert.equal(N, 3);
  await eventually(async () => assert.equal(await nodes.count(), 2 + N));
  assert.equal(await ofKind('manifest').count(), 1);
  assert.equal(await ofKind('config').count(), 1);
  assert.equal(await ofKind('layer').count(), N);
  assert.equal(await ofKind('manifest').getAttribute('data-digest'), three.manifestDigest);
  assert.equal(await ofKind('config').getAttribute('data-digest'), three.id);

  // The base layer is one blob for three images: marked, and naming the two others.
  const [base, second, top] = three.layers;
  assert.ok(base && second && top);
  const node = (digest: string) => graph.locator(`[data-testid="dag-node"][data-digest="${digest}"]`);
  // On its title, away from the copy button in the middle of the card.
  const open = (card: ReturnType<typeof node>) => card.locator('.dag-card__kind').click();
  assert.equal(await node(base.digest).getAttribute('data-shared'), 'true');
  assert.match(await visibleText(node(base.digest).getByTestId('dag-node-shared')), /Shared with layers\/app:1, layers\/tool:1/);
  assert.equal(await node(second.digest).getAttribute('data-shared'), 'true');
  assert.equal(await visibleText(node(second.digest).getByTestId('dag-node-shared')), 'Shared with layers/app:1');
  assert.equal(await node(top.digest).getAttribute('data-shared'), 'false');
  assert.equal(await ofKind('config').getAttribute('data-shared'), 'false');
  assert.match(await visibleText(node(top.digest)), /LAYER 3/);
  assert.match(await visibleText(detail.getByTestId('dag-summary')), /5 blobs, 2 shared with other images/);
  await page.screenshot({ path: screenshotPath('dag-tab') });

  // A click on a digest copies all of it.
  await node(top.digest).getByRole('button', { name: 'Copy the layer digest' }).click();
  await eventually(async () => assert.equal(await page.evaluate(() => navigator.clipboard.readText()), top.digest));

  // The config opens beside the graph as JSON (here from the keyboard); the manifest names it.
  const panel = detail.getByTestId('dag-node-panel');
  await graph.locator('.react-flow__node:has([data-kind="config"])').focus();
  await page.keyboard.press('Enter');
  await eventually(async () => assert.equal(await panel.getAttribute('data-kind'), 'config'));
  assert.equal(await visibleText(panel.getByTestId('dag-node-digest')), three.id);
  assert.match(await visibleText(panel.getByTestId('dag-node-json')), /"diff_ids": \[/);
  await open(ofKind('manifest'));
  await eventually(async () => assert.equal(await panel.getAttribute('data-kind'), 'manifest'));
  assert.ok((await visibleText(panel.getByTestId('dag-node-json'))).includes(three.id));

  // A layer opens as its file tree, the Layers tab's.
  await open(node(top.digest));
  await eventually(async () => assert.equal(await panel.getAttribute('data-kind'), 'layer'));
  const extra = panel.locator('[data-testid="tree-row"][data-path="opt/extra.bin"]');
  await extra.waitFor();
  assert.equal(await extra.getAttribute('data-change'), 'added');
  assert.deepEqual((await visibleText(panel.getByTestId('dag-node-used-by'))).split('\n'), ['layers/three:1']);
  await page.screenshot({ path: screenshotPath('dag-tab-layer') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('dag-tab-layer-dark') });
  assert.deepEqual(pageErrors, []);
});

test('a graph whose code cannot be loaded says so in its place, and the rest of the window goes on', async (t) => {
  const { page, context } = await openApp(browser, app.url);
  t.after(() => context.close());
  // As after the app was rebuilt under an open window: the graph's chunk, loaded with the first
  // graph, is no longer there to fetch.
  await context.route(/\/assets\/DagGraph-[^/]*\.js$/, (route) => route.abort());
  await page.locator('[data-key="docker.io/layers/three:1"]').click();
  const detail = page.getByTestId('image-detail');
  await detail.getByRole('tab', { name: 'DAG' }).click();
  const failed = detail.getByTestId('graph-load-failed');
  await failed.waitFor();
  assert.match(await visibleText(failed), /^The graph could not be shown: .+/);
  await detail.getByRole('tab', { name: 'Overview' }).click();
  await detail.getByTestId('layers-table').waitFor();
  await page.getByTestId('nav-containers').click();
  await page.locator('.containers-view').waitFor();
});
