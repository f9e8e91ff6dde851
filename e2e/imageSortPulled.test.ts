import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ImageSummary } from '../core/api/images.schema';
import { stevedore } from '../testkit/cli';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { cliJson, demoImage, loadImages } from './support/images';
import { pushRandomImage } from './support/registryImages';
import { startWebApp, type WebApp } from './support/webApp';

// Issue 18: sort images by when they were last pulled. The engine records the time on the
// index.json entry a pull names (under the index lock, as the pull commits); a loaded image was
// never pulled and sorts last.

let browser: Browser | undefined;
let app: WebApp | undefined;
let registry: RunningRegistry | undefined;
after(async () => {
  await app?.stop();
  await registry?.stop();
  await browser?.close();
});
const work = tempDir('stevedore-e2e-sort-pulled-');
const root = join(work, 'store');

before(async () => {
  const browserReady = launchBrowser();
  registry = await startRegistry();
  for (const repository of ['team/older', 'team/newer']) {
    await pushRandomImage({
      seedRoot: join(work, 'seed'),
      work,
      host: registry.host,
      repository,
      tags: ['1'],
      layerMegabytes: [0.1],
    });
  }
  await loadImages(root, work, [await demoImage('demo/loaded:1')]);
  // Pulled one after the other: the second is the most recently pulled.
  for (const repository of ['team/newer', 'team/older', 'team/newer']) {
    const r = stevedore(root, ['pull', `${registry.host}/${repository}:1`]);
    assert.equal(r.code, 0, r.stderr);
  }
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});

test('the engine lists when each name was last pulled', () => {
  const listed = cliJson<ImageSummary[]>(root, ['images']);
  const pulled = (repo: string) => listed.find((i) => i.repository.endsWith(repo))?.pulledAt ?? null;
  assert.equal(pulled('demo/loaded'), null);
  const older = Date.parse(pulled('team/older') ?? '');
  const newer = Date.parse(pulled('team/newer') ?? '');
  assert.ok(older > 0 && newer > older, `${pulled('team/older')} then ${pulled('team/newer')}`);
});

test('Images sorts by last pulled, newest first, never-pulled last', async (t) => {
  assert.ok(browser && app);
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.getByTestId('image-row').first().waitFor();
  await page.getByTestId('sort-pulled').click();
  const order = async () => (await page.getByTestId('row-repository').allInnerTexts()).map((name) => name.replace(/^.*\//, ''));
  await eventually(async () => assert.deepEqual(await order(), ['newer', 'older', 'loaded']));
  await page.screenshot({ path: screenshotPath('images-sort-pulled') });
  await page.getByTestId('sort-pulled').click();
  await eventually(async () => assert.deepEqual(await order(), ['older', 'newer', 'loaded']));
  assert.deepEqual(pageErrors, []);
});
