import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { stevedore } from '../testkit/cli';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { busyboxImage, removeAllContainers } from './support/containers';
import { eventually } from './support/eventually';
import { demoImage, loadImages } from './support/images';
import { twoImagesOnOneBase } from './support/layeredImages';
import { startWebApp, type WebApp } from './support/webApp';

// Issue 18, acceptance 3: the shell of the app never scrolls, at 1024×700 and 1360×900, in any
// view: the document does not scroll and nothing is wider than the window.

const work = tempDir('stevedore-e2e-fits-');
const root = join(work, 'store');
let browser: Browser;
let app: WebApp;
/** A long name, as a private registry's images have: it must never widen anything. */
const longName = `127.0.0.1:5612/${'platform-team/'.repeat(4)}a-service-with-a-long-name:2024.06.1-rc.1`;
const longNetwork = `backend-${'n'.repeat(60)}`;

before(async () => {
  const browserReady = launchBrowser();
  await loadImages(root, work, [
    await demoImage('demo/web:1.0'),
    ...(await twoImagesOnOneBase()),
    await busyboxImage('busybox:latest'),
  ]);
  assert.equal(stevedore(root, ['tag', 'demo/web:1.0', longName]).code, 0);
  // A container that exited, so the Containers view has a row and a detail.
  const run = stevedore(root, ['run', '--name', 'done', 'busybox:latest', 'true']);
  assert.equal(run.code, 0, run.stderr);
  // A volume with a long name the container uses, so the Volumes view has its fullest row.
  const volume = stevedore(root, ['volume', 'create', `data-${'x'.repeat(80)}`]);
  assert.equal(volume.code, 0, volume.stderr);
  // A network with a long name and a container on it, so the Networks view has its fullest row.
  const network = stevedore(root, ['network', 'create', longNetwork]);
  assert.equal(network.code, 0, network.stderr);
  const member = stevedore(root, ['create', '--name', 'member', '--network', longNetwork, 'busybox:latest', 'true']);
  assert.equal(member.code, 0, member.stderr);
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});
after(async () => {
  removeAllContainers(root);
  // Networks are the host's kernel objects: they go before their store does.
  stevedore(root, ['network', 'prune', '-f']);
  await app?.stop();
  await browser?.close();
});

/** What sticks out: the document's own scroll and size, and any element wider than the window. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.scrollingElement ?? document.documentElement;
    if (doc.scrollTop !== 0 || doc.scrollLeft !== 0) problems.push(`document scrolled to ${doc.scrollLeft},${doc.scrollTop}`);
    if (doc.scrollHeight > doc.clientHeight)
      problems.push(`document ${doc.scrollHeight - doc.clientHeight}px taller than the window`);
    if (doc.scrollWidth > doc.clientWidth) problems.push(`document ${doc.scrollWidth - doc.clientWidth}px wider than the window`);
    const width = window.innerWidth;
    for (const el of document.querySelectorAll('body *')) {
      // A graph's canvas is drawn at any size inside its own clipped, zoomable pane.
      if (el.closest('.react-flow__viewport, .react-flow__minimap')) continue;
      const box = el.getBoundingClientRect();
      if (box.width > width + 0.5) {
        const name = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;
        problems.push(`${name} is ${Math.round(box.width)}px wide`);
      }
    }
    return [...new Set(problems)];
  });
}

/** Each view as a person reaches it, with the state that makes it fullest. */
const walk: { name: string; go: (page: Page) => Promise<void> }[] = [
  { name: 'images', go: async (page) => void (await page.getByTestId('nav-images').click()) },
  {
    name: 'image-overview',
    go: async (page) => {
      await page.getByTestId('nav-images').click();
      await page.locator(`[data-key="${longName}"]`).click();
      await page.getByTestId('image-detail').getByTestId('config-env').waitFor();
    },
  },
  {
    name: 'image-layers',
    go: async (page) => {
      await page.getByTestId('image-detail').getByRole('tab', { name: 'Layers' }).click();
      await page.getByTestId('image-detail').locator('[data-testid="tree-row"]').first().waitFor();
    },
  },
  {
    name: 'image-dag',
    go: async (page) => {
      await page.getByTestId('image-detail').getByRole('tab', { name: 'DAG' }).click();
      await page.getByTestId('image-detail').locator('.react-flow__node').first().waitFor();
    },
  },
  {
    name: 'containers',
    go: async (page) => {
      await page.getByTestId('nav-containers').click();
      await page.getByTestId('container-row').first().waitFor();
    },
  },
  {
    name: 'container-inspect',
    go: async (page) => {
      await page.getByTestId('container-open').first().click();
      await page.getByRole('tab', { name: 'Inspect' }).click();
      await page.getByTestId('container-detail').waitFor();
    },
  },
  {
    name: 'volumes',
    go: async (page) => {
      await page.getByTestId('nav-volumes').click();
      await page.getByTestId('volume-row').first().waitFor();
    },
  },
  {
    name: 'networks',
    go: async (page) => {
      await page.getByTestId('nav-networks').click();
      await page.locator(`[data-testid="network-row"][data-name="${longNetwork}"]`).waitFor();
    },
  },
  {
    name: 'network-inspect',
    go: async (page) => {
      await page.locator(`[data-testid="network-row"][data-name="${longNetwork}"]`).getByTestId('network-open').click();
      await page.getByTestId('network-detail').getByTestId('network-container').first().waitFor();
    },
  },
  { name: 'builds', go: async (page) => void (await page.getByTestId('nav-builds').click()) },
  {
    name: 'store-graph',
    go: async (page) => {
      await page.getByTestId('nav-store-graph').click();
      await page.locator('.react-flow__node').first().waitFor();
    },
  },
  {
    name: 'compare',
    go: async (page) => {
      await page.getByTestId('nav-compare').click();
      await page.getByLabel('From').selectOption({ label: longName });
      await page.getByLabel('To').selectOption({ label: 'layers/tool:1' });
      await page.getByTestId('compare-result').waitFor();
    },
  },
  { name: 'registries', go: async (page) => void (await page.getByTestId('nav-registries').click()) },
  { name: 'transfers', go: async (page) => void (await page.getByTestId('nav-transfers').click()) },
  { name: 'settings', go: async (page) => void (await page.getByTestId('nav-settings').click()) },
];

/** The sidebar's entries, by test id (`nav-images`…): the walk must reach every one. */
async function sidebarViews(page: Page): Promise<string[]> {
  const ids = await page
    .locator('nav[aria-label="Main"] [data-testid^="nav-"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid') ?? '').filter((id) => !id.endsWith('-count')));
  return ids.sort();
}

for (const size of [
  { width: 1024, height: 700 },
  { width: 1360, height: 900 },
]) {
  test(`at ${size.width}×${size.height} no view scrolls the shell or is wider than the window`, async (t) => {
    const { page, context, pageErrors } = await openApp(browser, app.url);
    t.after(() => context.close());
    await page.setViewportSize(size);
    await page.getByTestId('image-row').first().waitFor();
    const visited = new Set<string>();
    for (const step of walk) {
      await step.go(page);
      const current = await page.locator('nav[aria-label="Main"] [aria-current="page"]').getAttribute('data-testid');
      if (current) visited.add(current);
      // The wheel over the sidebar is what moved the whole app.
      await page.getByTestId('nav-images').hover();
      await page.mouse.wheel(0, 400);
      await eventually(async () => assert.deepEqual(await overflow(page), [], `${step.name} at ${size.width}×${size.height}`));
      await page.screenshot({ path: screenshotPath(`fits-${size.width}-${step.name}`) });
    }
    // Acceptance 3 says every view: a view added to the sidebar and not to the walk fails here.
    assert.deepEqual([...visited].sort(), await sidebarViews(page));
    assert.deepEqual(pageErrors, []);
  });
}
