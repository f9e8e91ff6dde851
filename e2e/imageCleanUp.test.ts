import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ImageSummary } from '../core/api/images.schema';
import { stevedore } from '../testkit/cli';
import { makeLayer, randomLayer } from '../testkit/layers';
import { openApp, screenshotPath } from './support/browser';
import { containerApp } from './support/containerApp';
import { busyboxImage } from './support/containers';
import { eventually } from './support/eventually';
import { cliJson, loadImages } from './support/images';
import { visibleText } from './support/visibleText';

// Issue 18: "Clean up" prunes dangling or unused images, showing the space it frees first and
// the space freed after; both are what leaves the blob store, and an image in use stays.
const { root, running } = containerApp('stevedore-e2e-clean-up-', async (store, dir) => {
  const shared = await makeLayer([{ path: 'shared.txt', content: 'shared\n' }]);
  await loadImages(store, dir, [
    await busyboxImage('held:1'),
    { refName: 'keep:1', layers: [shared], config: { Cmd: ['/keep'] } },
    // Dangling: no name. Its own layer goes with it; the layer keep:1 shares stays.
    { layers: [shared, await randomLayer(300_000, 'dangling.bin')], config: { Cmd: ['/dangling'] } },
    { refName: 'unused:1', layers: [await randomLayer(200_000, 'unused.bin')], config: { Cmd: ['/unused'] } },
  ]);
  const ran = stevedore(store, ['run', '--name', 'holder', 'held:1', 'true']);
  assert.equal(ran.code, 0, ran.stderr);
});

/** The blob store as it is on disk: digest → bytes. */
function blobs(): Map<string, number> {
  const dir = join(root, 'oci', 'blobs', 'sha256');
  return new Map(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).size]));
}
const bytesGone = (before: Map<string, number>, now: Map<string, number>) =>
  [...before].filter(([d]) => !now.has(d)).reduce((sum, [, size]) => sum + size, 0);
const names = () =>
  cliJson<ImageSummary[]>(root, ['images'])
    .map((i) => `${i.repository}:${i.tag}`)
    .sort();

test('Clean up shows what pruning dangling images frees, then what it freed, and both are what left the disk', async (t) => {
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());
  await eventually(async () => assert.equal(await page.getByTestId('image-row').count(), 4));
  const blobsBefore = blobs();

  await page.getByRole('button', { name: 'Clean up' }).click();
  const dialog = page.getByTestId('clean-up-dialog');
  await dialog.waitFor();
  const preview = dialog.getByTestId('clean-up-preview');
  await eventually(async () => assert.match(await visibleText(preview), /^Frees /));
  assert.match(await visibleText(preview), /1 image/);
  const promised = Number(await preview.getAttribute('data-bytes'));
  assert.ok(promised > 300_000, `the dangling image's own layer is freed (${promised})`);
  await page.screenshot({ path: screenshotPath('clean-up-preview') });

  await dialog.getByTestId('clean-up-submit').click();
  const result = dialog.getByTestId('clean-up-result');
  await result.waitFor();
  const freed = Number(await result.getAttribute('data-bytes'));
  assert.equal(freed, promised, 'the space freed is the space promised');
  assert.equal(bytesGone(blobsBefore, blobs()), freed, 'and it is what left the blob store');
  assert.match(await visibleText(result), /Removed 1 image and freed/);
  await page.screenshot({ path: screenshotPath('clean-up-freed') });
  await dialog.getByTestId('clean-up-close').click();

  // Named images stay, the shared layer with them.
  assert.deepEqual(names(), ['held:1', 'keep:1', 'unused:1']);
  await eventually(async () => assert.equal(await page.getByTestId('image-row').count(), 3));
  assert.deepEqual(pageErrors, []);
});

test('Clean up of every unused image leaves the one a container uses', async (t) => {
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());
  await eventually(async () => assert.equal(await page.getByTestId('image-row').count(), 3));
  const blobsBefore = blobs();

  await page.getByRole('button', { name: 'Clean up' }).click();
  const dialog = page.getByTestId('clean-up-dialog');
  await dialog.getByRole('radio', { name: 'Dangling images (no name)' }).waitFor();
  await eventually(async () => assert.equal(await visibleText(dialog.getByTestId('clean-up-preview')), 'Nothing to remove.'));
  await dialog.getByRole('radio', { name: 'Every image no container uses' }).check();
  const preview = dialog.getByTestId('clean-up-preview');
  await eventually(async () => assert.match(await visibleText(preview), /^Frees .*2 images/));
  const text = await visibleText(preview);
  assert.match(text, /keep:1/);
  assert.match(text, /unused:1/);
  assert.doesNotMatch(text, /held/);
  const promised = Number(await preview.getAttribute('data-bytes'));

  await dialog.getByTestId('clean-up-submit').click();
  const result = dialog.getByTestId('clean-up-result');
  await result.waitFor();
  assert.equal(Number(await result.getAttribute('data-bytes')), promised);
  assert.equal(bytesGone(blobsBefore, blobs()), promised);
  assert.deepEqual(names(), ['held:1']);
  assert.deepEqual(pageErrors, []);
});
