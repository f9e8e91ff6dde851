import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { makeLayer } from '../testkit/layers';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { loadImages } from './support/images';
import { graphTiming } from './support/storeGraph';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// Issue 18, bug 7: the Store graph's "Every blob" names each manifest by its image (it showed a
// digest only), and the minimap hides no node of a graph shown whole.
let browser: Browser;
let app: WebApp;
const root = tempDir('stevedore-e2e-every-blob-');
const work = tempDir('stevedore-e2e-every-blob-work-');
const names = ['alpha/api:1.0', 'alpha/worker:2.1', 'beta/db:latest'];

before(async () => {
  const base = await makeLayer([{ path: 'etc/os-release', content: 'ID=base\n' }]);
  await loadImages(
    root,
    work,
    await Promise.all(
      names.map(async (refName) => ({
        refName,
        layers: [base, await makeLayer([{ path: 'app', content: refName }])],
        config: { Cmd: ['/app'], Labels: { name: refName } },
      })),
    ),
  );
  [browser, app] = await Promise.all([launchBrowser(), startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Nodes the minimap covers, by digest. */
async function hiddenByMinimap(page: Page, nodes: Locator): Promise<string[]> {
  const minimap = await page.locator('.react-flow__minimap').boundingBox();
  assert.ok(minimap, 'the minimap is drawn');
  const hidden: string[] = [];
  for (const node of await nodes.all()) {
    const box = await node.boundingBox();
    if (box && overlaps(box, minimap)) hidden.push((await node.getAttribute('data-digest')) ?? '?');
  }
  return hidden;
}

for (const size of [
  { width: 1360, height: 900 },
  { width: 1024, height: 700 },
]) {
  test(`Every blob names each manifest by its image, and the minimap covers no node (${size.width}x${size.height})`, async (t) => {
    const { page, context, pageErrors } = await openApp(browser, app.url);
    t.after(() => context.close());
    await page.setViewportSize(size);
    await page.getByTestId('nav-store-graph').click();
    await graphTiming(page);
    assert.deepEqual(await hiddenByMinimap(page, page.getByTestId('dag-node').or(page.getByTestId('graph-image'))), []);

    await page.getByTestId('graph-detail-every').click();
    const graph = page.getByTestId('store-graph');
    await eventually(async () => assert.equal(await graph.getAttribute('data-node-count'), '10'), 15_000);
    await graphTiming(page);
    assert.deepEqual(await hiddenByMinimap(page, page.getByTestId('dag-node')), []);
    const manifests = page.locator('[data-testid="dag-node"][data-kind="manifest"]');
    await eventually(async () => assert.equal(await manifests.count(), 3));
    const shown = (await Promise.all((await manifests.all()).map((m) => visibleText(m.getByTestId('dag-node-image'))))).sort();
    assert.deepEqual(shown, names);
    await page.screenshot({ path: screenshotPath(`store-graph-every-blob-${size.width}`) });
    assert.deepEqual(pageErrors, []);
  });
}
