import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { WrittenImage } from '../testkit/ociLayout';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { demoImage, loadImages } from './support/images';
import { cliTags } from './support/registryImages';
import { visibleText } from './support/visibleText';
import { startWebApp } from './support/webApp';

const work = tempDir('stevedore-e2e-push-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

let browser: Browser;
let registry: RunningRegistry;
before(async () => {
  [browser, registry] = await Promise.all([launchBrowser(), startRegistry()]);
});
after(async () => {
  await browser?.close();
  await registry?.stop();
});

/** Opens the detail's Push dialog, names the target, pushes, and returns the transfer's card once it ended. */
async function pushFromDetail(page: Page, host: string, name: string, count: number): Promise<Locator> {
  await page.getByTestId('nav-images').click();
  await page.getByTestId('image-row').first().click();
  await page.getByTestId('image-detail').getByTestId('push-button').click();
  const dialog = page.getByTestId('push-dialog');
  await dialog.waitFor();
  if (host) await dialog.getByTestId('push-registry').fill(host);
  await dialog.getByTestId('push-name').fill(name);
  assert.equal(await visibleText(dialog.getByTestId('push-target')), `${registry.host}/${name}`);
  await dialog.getByTestId('push-submit').click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByTestId('nav-transfers').click();
  const pushes = page.locator('[data-testid="transfer"][data-operation="push"]');
  await eventually(async () => assert.equal(await pushes.count(), count));
  const card = pushes.first();
  await eventually(async () => assert.equal(await card.getAttribute('data-state'), 'done'), 15_000);
  assert.equal(await visibleText(card.getByTestId('transfer-subject')), `${registry.host}/${name}`);
  return card;
}

/** Each blob's state in words, keyed by kind and digest. */
async function blobStates(card: Locator): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  for (const row of await card.getByTestId('transfer-blob').all()) {
    states.set((await row.getAttribute('data-digest')) ?? '', await visibleText(row.getByTestId('blob-state')));
  }
  return states;
}

test('push from the detail view: blobs pushed, then already there, then mounted; the registry has the tags', async (t) => {
  const root = join(work, 'app');
  const [image] = (await loadImages(root, join(work, 'layout'), [await demoImage('demo/web:1.0')])) as [WrittenImage];
  const app = await startWebApp(root);
  t.after(() => app.stop());
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const blobs = [image.configDigest, ...image.layerDigests];

  // First push: the image's name says Docker Hub, so the registry is typed; the name is kept.
  await page.getByTestId('image-row').first().click();
  await page.getByTestId('image-detail').getByTestId('push-button').click();
  const dialog = page.getByTestId('push-dialog');
  await dialog.waitFor();
  assert.equal(await dialog.getByTestId('push-name').inputValue(), 'demo/web:1.0');
  await dialog.getByTestId('push-registry').fill(registry.host);
  await page.screenshot({ path: screenshotPath('push-dialog') });
  await dialog.getByTestId('push-registry').fill('Not A Host!');
  assert.match(await visibleText(dialog), /is not a host or host:port/);
  assert.ok(await dialog.getByTestId('push-submit').isDisabled());
  // Escape closes the dialog, and only the dialog: the detail stays open.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('image-detail').count(), 1);

  const first = await pushFromDetail(page, registry.host, 'demo/web:1.0', 1);
  let states = await blobStates(first);
  for (const digest of blobs) assert.equal(states.get(digest), 'Pushed', `${digest} pushed`);
  assert.equal(states.get(image.manifestDigest), 'Pushed', 'the manifest, last');
  assert.equal(await first.getByTestId('transfer-total').getAttribute('aria-valuenow'), '100');
  assert.deepEqual(await cliTags(join(work, 'cli'), `${registry.host}/demo/web`), ['1.0']);

  // The same image to another tag of the same repository: every blob is already there.
  const again = await pushFromDetail(page, registry.host, 'demo/web:1.1', 2);
  states = await blobStates(again);
  for (const digest of blobs) assert.equal(states.get(digest), 'Already exists', `${digest} exists`);
  assert.match(await visibleText(again.getByTestId('transfer-stats')), /3 blobs already there/);

  // To another repository: the registry links the blobs from demo/web instead of taking them again.
  const mounted = await pushFromDetail(page, registry.host, 'team/copy:2', 3);
  states = await blobStates(mounted);
  for (const digest of blobs) assert.equal(states.get(digest), 'Mounted from demo/web', `${digest} mounted`);
  await page.screenshot({ path: screenshotPath('push-done'), animations: 'disabled' });

  assert.deepEqual(await cliTags(join(work, 'cli'), `${registry.host}/demo/web`), ['1.0', '1.1']);
  assert.deepEqual(await cliTags(join(work, 'cli'), `${registry.host}/team/copy`), ['2']);
  assert.deepEqual(pageErrors, []);
});
