import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DiskUsage } from '../core/api/store.schema';
import { formatBytes } from '../core/text/humanize';
import { stevedore } from '../testkit/cli';
import { openApp, screenshotPath } from './support/browser';
import { writeContext } from './support/builds';
import { containerApp } from './support/containerApp';
import { busyboxImage } from './support/containers';
import { cliJson, loadImages } from './support/images';
import { visibleText } from './support/visibleText';

// Issue 18: prune the build cache from the Builds view, the space it holds shown first
// (system df's build cache), then what was freed.

const { root, running } = containerApp('stevedore-e2e-build-cache-', async (store, dir) => {
  await loadImages(store, dir, [await busyboxImage('busybox:latest')]);
  // A COPY step's layer that only the cache keeps once its image is gone: what a prune gives back.
  const context = writeContext(join(dir, 'context'), {
    Dockerfile: 'FROM busybox:latest\nCOPY payload.bin /payload.bin\n',
  });
  writeContext(context, { 'payload.bin': randomBytes(512 * 1024).toString('base64') });
  const built = stevedore(store, ['build', '-t', 'cached/app:1', context]);
  assert.equal(built.code, 0, built.stderr);
  const removed = stevedore(store, ['rmi', 'cached/app:1']);
  assert.equal(removed.code, 0, removed.stderr);
});

const buildCache = () => cliJson<DiskUsage>(root, ['system', 'df', '--json']).buildCache;

test('Builds: prune the build cache, its size shown before and what it freed after', async (t) => {
  const before = buildCache();
  assert.ok(before.count > 0 && before.bytes > 512 * 1024, JSON.stringify(before));
  const { browser, app } = running();
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());

  await page.getByTestId('nav-builds').click();
  await page.getByTestId('builds-prune-cache').click();
  const dialog = page.getByRole('dialog', { name: 'Prune the build cache' });
  const held = dialog.getByTestId('build-cache-held');
  await held.waitFor();
  assert.equal(await held.getAttribute('data-bytes'), String(before.bytes));
  const entries = `${before.count} ${before.count === 1 ? 'entry' : 'entries'}`;
  assert.match(await visibleText(held), new RegExp(`${entries}.*${formatBytes(before.bytes).replace('.', '\\.')}`));
  await page.screenshot({ path: screenshotPath('build-cache-prune-before') });

  await dialog.getByTestId('build-cache-prune-confirm').click();
  const result = dialog.getByTestId('build-cache-result');
  await result.waitFor();
  const freed = Number(await result.getAttribute('data-bytes'));
  // Its layers, and whatever else only the cache kept.
  assert.ok(freed >= before.bytes, `freed ${freed} of ${before.bytes}`);
  assert.match(await visibleText(result), new RegExp(`Removed ${entries} and freed ${formatBytes(freed).replace('.', '\\.')}`));
  await page.screenshot({ path: screenshotPath('build-cache-prune-after') });
  assert.deepEqual(buildCache(), { count: 0, bytes: 0 });
  assert.deepEqual(pageErrors, []);
});
