import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { pushRandomImage } from './support/registryImages';
import { startThrottledProxy } from './support/throttledProxy';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// Issue 18, bugs 1 and 5: a transfer that fails after its dialog closed is said where the person
// is; and after a reload the Transfers history is the engine's record (bytes) and the person's
// (what they cleared).

const work = tempDir('stevedore-e2e-bug-transfers-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

let browser: Browser;
let registry: RunningRegistry;
let app: WebApp;
let page: Page;
let pageErrors: string[];
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
  app = await startWebApp(join(work, 'app'));
  ({ page, pageErrors } = await openApp(browser, app.url));
});
after(async () => {
  await browser?.close();
  await app?.stop();
  await registry?.stop();
});

/** Starts a pull of e2e/slow:1 through a slow proxy and waits for its dialog to close. */
async function pullThroughProxy(): Promise<{ ref: string; stopProxy: () => Promise<void> }> {
  const proxy = await startThrottledProxy(registry.port, 2_000_000);
  const ref = `${proxy.host}/e2e/slow:1`;
  await page.getByTestId('nav-images').click();
  await page.getByTestId('pull-button').click();
  await page.getByTestId('pull-reference').fill(ref);
  await page.getByTestId('pull-submit').click();
  // The dialog closes once the pull is under way; one that stays open shows why the pull failed.
  const dialog = page.getByTestId('pull-dialog');
  await dialog.waitFor({ state: 'detached' }).catch(async (err: Error) => {
    const said = await visibleText(dialog).catch(() => '(the dialog could not be read)');
    throw new Error(`the pull dialog stayed open: ${said}`, { cause: err });
  });
  return { ref, stopProxy: () => proxy.stop() };
}

/** Bytes so far and total, from a card's line ("3.2MB of 24.0MB · stopped after 2.1 s"). */
async function bytesLine(card: Locator): Promise<string> {
  return (await visibleText(card.getByTestId('transfer-stats'))).split(' · ')[0] ?? '';
}

let failedRef = '';

test('bug 1: a pull that fails after its dialog closed shows a toast with the error and a link, and a badge on Transfers', async () => {
  const { ref, stopProxy } = await pullThroughProxy();
  failedRef = ref;
  // Under way: the registry goes away while the person is elsewhere.
  await page.getByTestId('nav-containers').click();
  await stopProxy();

  const toast = page.getByTestId('transfer-toast');
  await toast.waitFor({ timeout: 30_000 });
  assert.equal(await toast.getAttribute('role'), 'alert');
  const text = await visibleText(toast);
  assert.ok(text.includes(ref), text);
  assert.match(text, /failed/i);
  const badge = page.getByTestId('nav-transfers').getByTestId('nav-failed-count');
  assert.equal(await visibleText(badge), '1');
  await page.screenshot({ path: screenshotPath('bug1-failed-pull-toast') });

  // The link goes to the transfer; seen, the badge and the toast go.
  await toast.getByRole('button', { name: /show/i }).click();
  assert.equal(await page.getByTestId('nav-transfers').getAttribute('aria-current'), 'page');
  const card = page.locator('[data-testid="transfer"][data-state="failed"]');
  await card.waitFor();
  assert.equal(await visibleText(card.getByTestId('transfer-subject')), ref);
  await eventually(async () => assert.equal(await badge.count(), 0));
  assert.equal(await toast.count(), 0);
});

test('bug 5: after a reload, failed and cancelled transfers keep their bytes, and cleared ones stay cleared', async () => {
  const { ref, stopProxy } = await pullThroughProxy();
  await page.getByTestId('nav-transfers').click();
  const running = page.locator('[data-testid="transfer"][data-state="running"]');
  await running.waitFor();
  // Wait until it has moved a few megabytes, then cancel it.
  await eventually(async () => assert.match(await bytesLine(running), /^([3-9]|\d\d)\.\dMB of/), 20_000);
  await running.getByTestId('transfer-cancel').click();
  const cancelled = page.locator('[data-testid="transfer"][data-state="cancelled"]');
  await cancelled.waitFor();
  await stopProxy();
  assert.equal(await visibleText(cancelled.getByTestId('transfer-subject')), ref);
  const failed = page.locator('[data-testid="transfer"][data-state="failed"]');
  const before = { cancelled: await bytesLine(cancelled), failed: await bytesLine(failed) };
  assert.match(before.cancelled, /^[\d.]+MB of 24\.\dMB$/);

  await page.reload();
  await page.getByTestId('nav-transfers').click();
  await cancelled.waitFor();
  assert.equal(await visibleText(failed.getByTestId('transfer-subject')), failedRef);
  assert.deepEqual({ cancelled: await bytesLine(cancelled), failed: await bytesLine(failed) }, before);
  await page.screenshot({ path: screenshotPath('bug5-transfers-after-reload'), animations: 'disabled' });

  // Cleared, they stay cleared across a reload (the engine still lists them for a while).
  await page.getByTestId('clear-finished').click();
  await page.getByTestId('transfers-empty').waitFor();
  await page.reload();
  await page.getByTestId('nav-transfers').click();
  await page.getByTestId('transfers-empty').waitFor();
  assert.equal(await page.getByTestId('transfer').count(), 0);
  assert.deepEqual(pageErrors, []);
});
