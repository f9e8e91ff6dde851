import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VolumeSummary } from '../core/api/volumes.schema';
import { stevedore } from '../testkit/cli';
import { openApp, screenshotPath } from './support/browser';
import { containerApp } from './support/containerApp';
import { busyboxImage, removeAllContainers } from './support/containers';
import { eventually } from './support/eventually';
import { cliJson, loadImages } from './support/images';
import { visibleText } from './support/visibleText';

// Issue 18: a Volumes view in the sidebar: list (with the containers using each), create, remove, prune.

const { root, running } = containerApp('stevedore-e2e-volumes-view-', async (store, dir) => {
  await loadImages(store, dir, [await busyboxImage('busybox:latest')]);
});

function volumeNames(): string[] {
  return cliJson<VolumeSummary[]>(root, ['volume', 'ls'])
    .map((v) => v.name)
    .sort();
}

test('Volumes: see who uses a volume, create one, remove it, prune the unused', async (t) => {
  t.after(() => removeAllContainers(root));
  for (const name of ['data', 'spare']) assert.equal(stevedore(root, ['volume', 'create', name]).code, 0);
  const r = stevedore(root, ['run', '-d', '--name', 'db', '-v', 'data:/data', 'busybox:latest', 'sleep', '1000']);
  assert.equal(r.code, 0, r.stderr);
  const { browser, app } = running();
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());

  await page.getByTestId('nav-volumes').click();
  const rows = page.getByTestId('volume-row');
  await eventually(async () => assert.equal(await rows.count(), 2));
  const data = page.locator('[data-testid="volume-row"][data-name="data"]');
  assert.match(await visibleText(data.getByTestId('volume-used-by')), /\bdb\b/);
  await page.screenshot({ path: screenshotPath('volumes-view') });
  // The shell never scrolls, here at the smaller window too (appFitsWindow's rule for every view).
  await page.setViewportSize({ width: 1024, height: 700 });
  const page_ = await page.evaluate(() => {
    const doc = document.scrollingElement ?? document.documentElement;
    return { scrolls: doc.scrollHeight > doc.clientHeight, wide: doc.scrollWidth > doc.clientWidth };
  });
  assert.deepEqual(page_, { scrolls: false, wide: false });

  // Removing one a container uses is refused, and says which.
  await data.getByRole('button', { name: 'Remove data' }).click();
  const confirm = page.getByRole('dialog');
  assert.match(await visibleText(confirm), /\bdb\b/);
  assert.ok(await confirm.getByTestId('remove-volume-confirm').isDisabled());
  await confirm.getByRole('button', { name: 'Cancel' }).click();

  await page.getByTestId('volumes-create').click();
  const create = page.getByRole('dialog', { name: 'Create a volume' });
  await create.getByLabel('Name').fill('fresh');
  await create.getByRole('button', { name: 'Create' }).click();
  await eventually(async () => assert.equal(await rows.count(), 3));
  assert.deepEqual(volumeNames(), ['data', 'fresh', 'spare']);

  await page.locator('[data-testid="volume-row"][data-name="fresh"]').getByRole('button', { name: 'Remove fresh' }).click();
  await page.getByTestId('remove-volume-confirm').click();
  await eventually(async () => assert.equal(await rows.count(), 2));
  assert.deepEqual(volumeNames(), ['data', 'spare']);

  // Prune every unused volume: spare goes, data (used by db) stays.
  await page.getByTestId('volumes-prune').click();
  const prune = page.getByRole('dialog');
  // As docker volume prune: only anonymous ones unless asked for every unused one.
  assert.doesNotMatch(await visibleText(prune), /spare/);
  await prune.getByLabel('Named volumes too').check();
  assert.match(await visibleText(prune), /spare/);
  assert.doesNotMatch(await visibleText(prune), /\bdata\b/);
  await prune.getByTestId('prune-volumes-confirm').click();
  await eventually(async () => assert.equal(await rows.count(), 1));
  assert.deepEqual(volumeNames(), ['data']);
  assert.deepEqual(pageErrors, []);
});
