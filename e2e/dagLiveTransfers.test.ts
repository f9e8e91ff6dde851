import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { stevedoreAsync } from '../testkit/cli';
import type { WrittenImage } from '../testkit/ociLayout';
import { layoutWithImages, randomLayers } from '../testkit/registry/fixtures';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { type GatedProxy, startGatedProxy } from './support/gatedProxy';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

/**
 * The tests run in order and build on each other (the push sends what the pull brought).
 *
 * Issue 18, live transfers on the DAG: a pull watched on an image's DAG tab and on the Store graph
 * with its nodes changing state (top-down: the manifest verified while a layer is still part way),
 * and pushes seen bottom-up (every blob mounted or already there while the manifest is still out).
 * The registry sits behind a proxy that holds chosen answers, so each transfer is certainly in
 * flight while the test looks.
 */
const work = tempDir('stevedore-e2e-dag-live-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');
const root = join(work, 'app');
const seed = join(work, 'seed');

let browser: Browser;
let registry: RunningRegistry;
let proxy: GatedProxy;
let app: WebApp;
let v2: WrittenImage;

async function cli(storeRoot: string, args: string[]): Promise<void> {
  const r = await stevedoreAsync(storeRoot, args);
  if (r.code !== 0) throw new Error(`stevedore ${args.join(' ')} failed: ${r.stderr}`);
}

before(async () => {
  const browserReady = launchBrowser();
  registry = await startRegistry();
  proxy = await startGatedProxy(registry.port);
  // v2 is v1 plus a 4 MB layer: pulling it over v1 finds two layers already there and moves one.
  const [base, old, fresh] = await randomLayers([300_000, 200_000, 4_000_000]);
  const layout = join(work, 'layout');
  const written = await layoutWithImages(layout, [
    { refName: 'v1', layers: [base!, old!] },
    { refName: 'v2', layers: [base!, old!, fresh!] },
  ]);
  v2 = written[1]!;
  await cli(seed, ['load', '-i', layout, '--name', 'seed/live']);
  await cli(seed, ['push', 'seed/live:v1', `${registry.host}/e2e/live:1`]);
  await cli(root, ['pull', `${proxy.host}/e2e/live:1`]);
  // The tag moves on in the registry: the app's next pull of it brings v2.
  await cli(seed, ['push', 'seed/live:v2', `${registry.host}/e2e/live:1`]);
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
  await proxy?.stop();
  await registry?.stop();
});

const node = (scope: Locator | Page, digest: string) => scope.locator(`[data-testid="dag-node"][data-digest="${digest}"]`);
const liveState = (card: Locator) => card.getAttribute('data-live-state');

test('a pull is watched on the DAG tab and the Store graph, top-down, and the nodes return to normal when it ends', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const ref = `${proxy.host}/e2e/live:1`;
  const [base, old, fresh] = v2.layerDigests as [string, string, string];
  t.after(() => proxy.release());

  await page.locator(`[data-key="${ref}"]`).click();
  const detail = page.getByTestId('image-detail');
  await detail.getByRole('tab', { name: 'DAG' }).click();
  const graph = detail.getByTestId('image-dag');
  await eventually(async () => assert.equal(await graph.getAttribute('data-state'), 'ready'));
  assert.equal(await graph.getByTestId('dag-node').count(), 4, 'v1: manifest, config, two layers');
  assert.equal(await graph.locator('[data-live-state]').count(), 0, 'nothing moves yet');

  // The new layer stops after 1 MB of its 4; the rest of the pull goes through.
  proxy.hold({ match: new RegExp(`^GET /v2/e2e/live/blobs/${fresh} `), passBytes: 1_000_000 });
  await page.getByTestId('pull-button').click();
  await page.getByTestId('pull-reference').fill(ref);
  await page.getByTestId('pull-submit').click();
  await page.getByTestId('pull-dialog').waitFor({ state: 'detached' });

  // The tab draws v2 as it arrives: its manifest and config verified, v1's layers already there,
  // the new one part way with its percent.
  await detail.getByTestId('dag-arriving').waitFor();
  assert.match(await visibleText(detail.getByTestId('dag-arriving')), new RegExp(`Pulling a new version of ${ref}`));
  await eventually(async () => assert.equal(await graph.getAttribute('data-node-count'), '5'));
  await eventually(async () => assert.equal(await liveState(node(graph, fresh)), 'moving'));
  await eventually(async () => {
    const percent = Number(await node(graph, fresh).getAttribute('data-live-percent'));
    assert.ok(percent > 0 && percent < 100, `the layer at ${percent}%`);
  });
  assert.match(await visibleText(node(graph, fresh).getByTestId('dag-node-live')), /^Downloading \d+%$/);
  assert.equal(await liveState(node(graph, v2.manifestDigest)), 'verified');
  assert.equal(await visibleText(node(graph, v2.manifestDigest).getByTestId('dag-node-live')), 'Verified');
  await eventually(async () => assert.equal(await liveState(node(graph, v2.configDigest)), 'verified'));
  for (const digest of [base, old]) {
    assert.equal(await liveState(node(graph, digest)), 'exists');
    assert.equal(await visibleText(node(graph, digest).getByTestId('dag-node-live')), 'Already there');
  }
  await page.screenshot({ path: screenshotPath('dag-live-pull'), animations: 'disabled' });

  // The Store graph shows the image arriving beside v1, the same states on the same blobs.
  await page.getByTestId('nav-store-graph').click();
  const store = page.getByTestId('store-graph');
  await eventually(async () => assert.equal(await store.getAttribute('data-state'), 'ready'));
  assert.match(await visibleText(page.getByTestId('store-graph-summary')), /1 arriving/);
  await eventually(async () => assert.equal(await liveState(node(store, fresh)), 'moving'));
  assert.equal(await liveState(node(store, v2.manifestDigest)), 'verified');
  assert.ok((await node(store, v2.manifestDigest).getAttribute('title'))?.includes(`\n${ref}\n`), 'the arriving image named');
  await page.getByTestId('graph-detail-every').click();
  await eventually(async () => assert.equal(await liveState(node(store, fresh)), 'moving'));
  assert.equal(await liveState(node(store, base)), 'exists');
  await page.screenshot({ path: screenshotPath('store-graph-live-pull'), animations: 'disabled' });

  // Let it finish: v2 is stored, nothing is arriving, and every node has its usual look again.
  proxy.release();
  await eventually(async () => {
    assert.doesNotMatch(await visibleText(page.getByTestId('store-graph-summary')), /arriving/);
    assert.equal(await store.locator('[data-live-state]').count(), 0);
  });
  assert.equal(await node(store, fresh).getAttribute('data-shared'), 'false');

  await page.getByTestId('nav-images').click();
  await detail.getByTestId('dag-summary').waitFor();
  await eventually(async () => assert.equal(await graph.getAttribute('data-node-count'), '5'));
  assert.equal(await graph.locator('[data-live-state]').count(), 0);
  assert.equal(await detail.getByTestId('dag-arriving').count(), 0);
  assert.deepEqual(pageErrors, []);
});

test('a push is seen bottom-up: blobs mounted, then already there on a second push, while the manifest is still out', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const ref = `${proxy.host}/e2e/live:1`;
  const target = `${proxy.host}/e2e/copy:1`;
  const blobs = [v2.configDigest, ...v2.layerDigests];

  await page.locator(`[data-key="${ref}"]`).click();
  const detail = page.getByTestId('image-detail');
  await detail.getByRole('tab', { name: 'DAG' }).click();
  const graph = detail.getByTestId('image-dag');
  await eventually(async () => assert.equal(await graph.getAttribute('data-state'), 'ready'));

  for (const [round, state, words] of [
    ['first', 'mounted', 'Mounted from e2e/live'],
    ['second', 'exists', 'Already there'],
  ] as const) {
    // The manifest goes last; its PUT is answered only once released.
    proxy.hold({ match: /^PUT \/v2\/e2e\/copy\/manifests\//, passBytes: 0 });
    t.after(() => proxy.release());
    const pushed = cli(root, ['push', ref, target]);
    pushed.catch(() => undefined); // awaited below
    await eventually(async () => {
      for (const digest of blobs) assert.equal(await liveState(node(graph, digest)), state, `${round} push, ${digest}`);
    });
    for (const digest of blobs) assert.equal(await visibleText(node(graph, digest).getByTestId('dag-node-live')), words);
    await eventually(async () => assert.equal(await liveState(node(graph, v2.manifestDigest)), 'moving'));
    assert.equal(await visibleText(node(graph, v2.manifestDigest).getByTestId('dag-node-live')), 'Uploading 0%');
    await page.screenshot({ path: screenshotPath(`dag-live-push-${round}`), animations: 'disabled' });
    if (round === 'first') {
      // The Store graph's image card sums the blobs folded into it: two of three over, the manifest out.
      await page.getByTestId('nav-store-graph').click();
      const store = page.getByTestId('store-graph');
      const card = store.locator(`[data-testid="graph-image"][data-digest="${v2.manifestDigest}"]`);
      await eventually(async () => assert.equal(await card.getAttribute('data-live-state'), 'moving'));
      assert.match(await visibleText(card.getByTestId('dag-node-live')), /^Uploading \d+% · 2\/3$/);
      assert.equal(await liveState(node(store, v2.layerDigests[0]!)), 'mounted', 'a shared base layer, drawn on its own');
      await page.screenshot({ path: screenshotPath('store-graph-live-push'), animations: 'disabled' });
      await page.getByTestId('nav-images').click();
      await graph.waitFor();
    }
    proxy.release();
    await pushed;
    await eventually(async () => assert.equal(await graph.locator('[data-live-state]').count(), 0));
  }
  assert.deepEqual(pageErrors, []);
});

/** A port nothing listens on: a registry that is down. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test('a failed push leaves its failed blobs saying so, with the error on hover, until the transfer is cleared', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const ref = `${proxy.host}/e2e/live:1`;
  await page.locator(`[data-key="${ref}"]`).click();
  const detail = page.getByTestId('image-detail');
  await detail.getByRole('tab', { name: 'DAG' }).click();
  const graph = detail.getByTestId('image-dag');
  await eventually(async () => assert.equal(await graph.getAttribute('data-state'), 'ready'));

  const down = `127.0.0.1:${await closedPort()}`;
  const r = await stevedoreAsync(root, ['push', ref, `${down}/e2e/nowhere:1`]);
  assert.notEqual(r.code, 0);
  const failed = graph.locator('[data-live-state="failed"]');
  await eventually(async () => assert.ok((await failed.count()) > 0, 'a blob says it failed'));
  const first = failed.first();
  assert.equal(await visibleText(first.getByTestId('dag-node-live')), 'Failed');
  const error = await first.getByTestId('dag-node-live').getAttribute('title');
  assert.ok(error && error.length > 0 && !error.includes('\n'), `one line of error on hover: ${error}`);
  assert.ok(r.stderr.includes(error), `the CLI said the same: ${r.stderr}`);
  assert.equal(await graph.locator('[data-live-state]:not([data-live-state="failed"])').count(), 0, 'the rest is back to normal');
  await page.screenshot({ path: screenshotPath('dag-live-push-failed'), animations: 'disabled' });

  // Clearing the finished transfers gives the nodes back.
  await page.getByTestId('nav-transfers').click();
  await page.getByTestId('clear-finished').click();
  await page.getByTestId('nav-images').click();
  await graph.waitFor();
  await eventually(async () => assert.equal(await graph.locator('[data-live-state]').count(), 0));
  assert.deepEqual(pageErrors, []);
});
