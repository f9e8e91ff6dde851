import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
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

const work = tempDir('stevedore-e2e-pull-');
// The app and the CLI read logins from here, never from the user's own Docker config.
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
    repository: 'e2e/big',
    tags: ['1'],
    layerMegabytes: [16, 16, 16],
  });
  // About three seconds for 48 MB: long enough to watch, short enough to wait for.
  proxy = await startThrottledProxy(registry.port, 16_000_000);
});
after(async () => {
  await browser?.close();
  await proxy?.stop();
  await registry?.stop();
});

test('the Pull dialog pulls from a real registry: the bars move, then the image is in Images', async (t) => {
  const root = join(work, 'app');
  const app = await startWebApp(root);
  t.after(() => app.stop());
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());

  // From the empty store's own Pull button.
  await page.getByTestId('empty-pull-button').click();
  const dialog = page.getByTestId('pull-dialog');
  await dialog.waitFor();
  const input = dialog.getByTestId('pull-reference');
  assert.ok(await input.evaluate((el) => el === document.activeElement), 'the reference field has focus');
  // Modal: Tab cycles through the dialog's controls and never reaches the page behind it.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await dialog.evaluate((el) => el.contains(document.activeElement)), `focus stays in the dialog (Tab ${i + 1})`);
  }

  // Checked as it is typed, by docker's grammar.
  await input.fill('Team/App');
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.match(await visibleText(dialog), /Repository names are lowercase/);
  assert.ok(await dialog.getByTestId('pull-submit').isDisabled());
  await input.fill('busybox');
  assert.equal(await visibleText(dialog.getByTestId('pull-normalized')), 'docker.io/library/busybox:latest');

  // The engine is the authority: a tag the registry lacks is its error, shown in the dialog.
  await input.fill(`${proxy.host}/e2e/big:nope`);
  await dialog.getByTestId('pull-submit').click();
  await eventually(async () =>
    assert.equal(await visibleText(dialog.getByTestId('pull-error')), `No tag nope in ${proxy.host}/e2e/big`),
  );

  // The host's platform is the default; Enter submits.
  const ref = `${proxy.host}/e2e/big:1`;
  assert.match(await visibleText(dialog.getByTestId('pull-platform').locator('option:checked')), /^This machine \(linux\/\w+\)$/);
  await input.fill(ref);
  assert.equal(await visibleText(dialog.getByTestId('pull-normalized')), ref);
  await page.screenshot({ path: screenshotPath('pull-dialog') });
  await input.press('Enter');
  await dialog.waitFor({ state: 'detached' });

  // The sidebar counts it; the Transfers view draws it.
  await eventually(async () =>
    assert.equal(await visibleText(page.getByTestId('nav-transfers').locator('.sidebar__count')), '1'),
  );
  await page.getByTestId('nav-transfers').click();
  const transfer = page.locator(`[data-testid="transfer"][data-operation="pull"][data-state="running"]`);
  await transfer.waitFor();
  assert.equal(await visibleText(transfer.getByTestId('transfer-subject')), ref);

  // The total bar moves: two readings, both between 0 and 100, the second higher.
  const total = transfer.getByTestId('transfer-total');
  const percent = async () => Number((await total.getAttribute('aria-valuenow')) ?? Number.NaN);
  let first = Number.NaN;
  await eventually(async () => {
    first = await percent();
    assert.ok(first > 0 && first < 60, `total at ${first}%`);
  });
  await eventually(async () => {
    const now = await percent();
    assert.ok(now > first && now < 100, `total moved from ${first}% to ${now}%`);
  });
  const layers = transfer.locator('[data-testid="transfer-blob"]');
  await eventually(async () => {
    const states = await transfer.getByTestId('blob-state').allTextContents();
    assert.ok(states.includes('Downloading'), states.join(', '));
    assert.match(await visibleText(transfer.getByTestId('transfer-stats')), /MB of 48\.\dMB · [\d.]+MB\/s · \d+ s left/);
  });
  const bars = await transfer.locator('[role="progressbar"]').count();
  assert.equal(bars, 1 + (await layers.count()), 'a total bar and one per blob');
  await page.screenshot({ path: screenshotPath('pull-running') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('pull-running-dark') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Done: every blob complete, the bar full, the badge gone.
  const done = page.locator('[data-testid="transfer"][data-state="done"]');
  await done.waitFor({ timeout: 30_000 });
  assert.equal(await done.getByTestId('transfer-total').getAttribute('aria-valuenow'), '100');
  const states = await done.getByTestId('blob-state').allTextContents();
  assert.deepEqual([...new Set(states)], ['Pull complete'], states.join(', '));
  assert.equal(states.length, 5, 'manifest, config and three layers');
  assert.equal(await page.getByTestId('nav-transfers').locator('.sidebar__count').count(), 0);
  await page.screenshot({ path: screenshotPath('pull-done'), animations: 'disabled' });

  // The image is in the store, and the Images view lists it.
  const [image] = cliJson<ImageSummary[]>(root, ['images']);
  assert.equal(image?.reference, ref);
  await page.getByTestId('nav-images').click();
  const row = page.getByTestId('image-row');
  await eventually(async () => assert.equal(await row.count(), 1));
  assert.equal(await visibleText(row.getByTestId('row-repository')), `${proxy.host}/e2e/big`);
  assert.equal(await visibleText(row.getByTestId('row-tag')), '1');

  // The header's Pull button opens the dialog too; Escape closes it.
  await page.getByTestId('pull-button').click();
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(pageErrors, []);
});
