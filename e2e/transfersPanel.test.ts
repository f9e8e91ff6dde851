import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import type { ImageSummary } from '../core/api/images.schema';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { cliJson } from './support/images';
import { pushRandomImage } from './support/registryImages';
import { startThrottledProxy, type ThrottledProxy } from './support/throttledProxy';
import { visibleText } from './support/visibleText';
import { startWebApp } from './support/webApp';

const work = tempDir('stevedore-e2e-transfers-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

let browser: Browser;
let registry: RunningRegistry;
let proxy: ThrottledProxy;
before(async () => {
  [browser, registry] = await Promise.all([launchBrowser(), startRegistry()]);
  await pushRandomImage({
    seedRoot: join(work, 'seed'),
    work,
    host: registry.host,
    repository: 'e2e/slow',
    tags: ['1'],
    layerMegabytes: [12, 12],
  });
  // Slow enough (about six seconds) that the test can leave, reload and cancel while it runs.
  proxy = await startThrottledProxy(registry.port, 4_000_000);
});
after(async () => {
  await browser?.close();
  await proxy?.stop();
  await registry?.stop();
});

/** Bytes done so far, from the total bar's text ("3.2MB of 24.0MB · …"). */
async function doneMegabytes(card: Locator): Promise<number> {
  const text = await visibleText(card.getByTestId('transfer-stats'));
  const match = /^([\d.]+)(B|kB|MB) of/.exec(text);
  if (!match) return 0;
  return Number(match[1]) / { B: 1_000_000, kB: 1000, MB: 1 }[match[2] as 'B' | 'kB' | 'MB'];
}

test('a running pull keeps its state across views and a reload, and Cancel stops it leaving nothing', async (t) => {
  const root = join(work, 'app');
  const app = await startWebApp(root);
  t.after(() => app.stop());
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const ref = `${proxy.host}/e2e/slow:1`;

  await page.getByTestId('pull-button').click();
  await page.getByTestId('pull-reference').fill(ref);
  await page.getByTestId('pull-submit').click();
  await page.getByTestId('pull-dialog').waitFor({ state: 'detached' });

  await page.getByTestId('nav-transfers').click();
  const card = page.locator('[data-testid="transfer"][data-state="running"]');
  await card.waitFor();
  await eventually(async () => assert.ok((await doneMegabytes(card)) > 0));
  const before = await doneMegabytes(card);

  // Away and back: the panel kept what it had (no reset to zero), every blob, and the transfer goes on.
  await page.getByTestId('nav-registries').click();
  await page.getByTestId('nav-images').click();
  await page.getByTestId('nav-transfers').waitFor();
  await page.getByTestId('nav-transfers').click();
  await card.waitFor();
  assert.ok((await doneMegabytes(card)) >= before, 'the panel kept the bytes it had shown');
  await eventually(async () => assert.ok((await doneMegabytes(card)) > before, 'bytes still move'));
  assert.equal(await card.getByTestId('transfer-blob').count(), 4, 'manifest, config and two layers');

  // A reload starts from the engine's list: the pull still running, its blobs where they are.
  await page.reload();
  await page.getByTestId('nav-transfers').click();
  await card.waitFor();
  assert.equal(await visibleText(card.getByTestId('transfer-subject')), ref);
  assert.equal(await card.getByTestId('transfer-blob').count(), 4);
  await eventually(async () =>
    assert.equal(await visibleText(page.getByTestId('nav-transfers').locator('.sidebar__count')), '1'),
  );
  await eventually(async () => {
    const states = await card.getByTestId('blob-state').allTextContents();
    assert.ok(states.includes('Downloading'), states.join(', '));
  });
  const percent = Number(await card.getByTestId('transfer-total').getAttribute('aria-valuenow'));
  assert.ok(percent > 0 && percent < 100, `total at ${percent}% after the reload`);

  // Cancel: the engine stops it, and keeps none of it.
  await card.getByTestId('transfer-cancel').click();
  const cancelled = page.locator('[data-testid="transfer"][data-state="cancelled"]');
  await cancelled.waitFor();
  assert.equal(await visibleText(cancelled.getByTestId('transfer-state')), 'Cancelled');
  assert.match(await visibleText(cancelled.getByTestId('transfer-error')), /cancelled/i);
  assert.match(await visibleText(cancelled.getByTestId('transfer-stats')), /MB of 24\.\dMB · stopped after/);
  assert.equal(await cancelled.getByTestId('transfer-cancel').count(), 0);
  assert.equal(await page.getByTestId('nav-transfers').locator('.sidebar__count').count(), 0);
  await page.screenshot({ path: screenshotPath('transfer-cancelled'), animations: 'disabled' });
  assert.deepEqual(cliJson<ImageSummary[]>(root, ['images']), []);

  // Clearing finished transfers empties the panel.
  await page.getByTestId('clear-finished').click();
  await page.getByTestId('transfers-empty').waitFor();
  assert.deepEqual(pageErrors, []);
});
