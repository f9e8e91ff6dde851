import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ImageSummary } from '../core/api/images.schema';
import { stevedore } from '../testkit/cli';
import { makeLayer } from '../testkit/layers';
import { openApp, screenshotPath } from './support/browser';
import { containerApp } from './support/containerApp';
import { busyboxImage } from './support/containers';
import { eventually } from './support/eventually';
import { cliJson, loadImages } from './support/images';
import { visibleText } from './support/visibleText';

// Issue 18: delete and untag from Images, with a confirmation naming what goes and what stays;
// an image a container stands on is refused, and says which container; several at once.
const { root, running } = containerApp('stevedore-e2e-image-remove-', async (store, dir) => {
  const one = (content: string) => makeLayer([{ path: 'f.txt', content }]);
  const shared = await one('shared\n');
  await loadImages(store, dir, [
    await busyboxImage('held:1'),
    // One image, two names: deleting one name only untags it.
    { refName: 'multi:a', layers: [shared], config: { Cmd: ['/f'] } },
    { refName: 'multi:b', layers: [shared], config: { Cmd: ['/f'] } },
    { refName: 'solo:1', layers: [await one('one\n')], config: { Cmd: ['/one'] } },
    { refName: 'solo:2', layers: [await one('two\n')], config: { Cmd: ['/two'] } },
  ]);
  // A container that ended still stands on its image.
  const ran = stevedore(store, ['run', '--name', 'holder', 'held:1', 'true']);
  assert.equal(ran.code, 0, ran.stderr);
});

const names = () =>
  cliJson<ImageSummary[]>(root, ['images'])
    .map((i) => `${i.repository}:${i.tag}`)
    .sort();
const row = (page: Page, name: string) => {
  const [repo, tag] = name.split(':') as [string, string];
  return page
    .getByTestId('image-row')
    .filter({ has: page.getByTestId('row-repository').getByText(repo, { exact: true }) })
    .filter({ has: page.getByTestId('row-tag').getByText(tag, { exact: true }) });
};

test('an image a container uses is badged "In use", and deleting it is refused with the container named', async (t) => {
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());
  await eventually(async () => assert.equal(await page.getByTestId('image-row').count(), 5));

  await eventually(async () => assert.equal(await row(page, 'held:1').getByTestId('row-in-use').count(), 1));
  assert.match((await row(page, 'held:1').getByTestId('row-in-use').getAttribute('title')) ?? '', /holder/);
  assert.equal(await page.getByTestId('row-in-use').count(), 1, 'only the image a container uses');

  await page.getByRole('button', { name: 'Delete held:1' }).click();
  const dialog = page.getByTestId('remove-images-dialog');
  await dialog.waitFor();
  const item = dialog.getByTestId('remove-item');
  assert.equal(await item.getAttribute('data-outcome'), 'refused');
  assert.match(await visibleText(item), /held:1.*used by container holder/s);
  assert.ok(await dialog.getByTestId('remove-images-submit').isDisabled(), 'nothing to delete');
  await page.screenshot({ path: screenshotPath('image-remove-refused') });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.deepEqual(names(), ['held:1', 'multi:a', 'multi:b', 'solo:1', 'solo:2']);
  assert.deepEqual(pageErrors, []);
});

test('deleting one of two names untags it, and the dialog says the image stays under the other', async (t) => {
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());
  await eventually(async () => assert.equal(await page.getByTestId('image-row').count(), 5));

  await page.getByRole('button', { name: 'Delete multi:a' }).click();
  const dialog = page.getByTestId('remove-images-dialog');
  await dialog.waitFor();
  const item = dialog.getByTestId('remove-item');
  assert.equal(await item.getAttribute('data-outcome'), 'untag');
  assert.match(await visibleText(item), /multi:a.*the image stays.*multi:b/s);
  await page.screenshot({ path: screenshotPath('image-remove-untag') });
  await dialog.getByTestId('remove-images-submit').click();

  await eventually(async () => assert.equal(await row(page, 'multi:a').count(), 0));
  assert.equal(await row(page, 'multi:b').count(), 1);
  assert.deepEqual(names(), ['held:1', 'multi:b', 'solo:1', 'solo:2']);
  assert.deepEqual(pageErrors, []);
});

test('two images picked with their boxes are deleted together after one confirmation', async (t) => {
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());
  await eventually(async () => assert.ok((await page.getByTestId('image-row').count()) >= 4));
  const before = names();

  await page.getByRole('checkbox', { name: 'Select solo:1' }).check();
  await page.getByRole('checkbox', { name: 'Select solo:2' }).check();
  // Ticking a box picks the image for an action; it does not open it.
  assert.equal(await page.getByTestId('image-detail').count(), 0);
  await page.getByRole('button', { name: 'Delete 2 images' }).click();
  const dialog = page.getByTestId('remove-images-dialog');
  await dialog.waitFor();
  const outcomes = await dialog.getByTestId('remove-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')));
  assert.deepEqual(outcomes, ['delete', 'delete']);
  assert.match(await visibleText(dialog), /solo:1/);
  assert.match(await visibleText(dialog), /solo:2/);
  await page.screenshot({ path: screenshotPath('image-remove-several') });
  await dialog.getByTestId('remove-images-submit').click();

  await eventually(async () => assert.equal((await row(page, 'solo:1').count()) + (await row(page, 'solo:2').count()), 0));
  assert.deepEqual(
    names(),
    before.filter((n) => !n.startsWith('solo:')),
  );
  // The selection went with the images: no "Delete N" is left over.
  assert.equal(await page.getByRole('button', { name: /^Delete \d+ images?$/ }).count(), 0);
  assert.deepEqual(pageErrors, []);
});
