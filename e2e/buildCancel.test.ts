import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ImageSummary } from '../core/api/images.schema';
import { RUNC_ROOT } from '../core/runtime/runc';
import { loadBoxImage } from '../testkit/containerImages';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { engineBuild, stepLogLines, stepRow, waitForBuildsToEnd, writeContext } from './support/builds';
import { eventually } from './support/eventually';
import { cliJson } from './support/images';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// Issue 18: a running build can be cancelled from its detail, mid-RUN, and the engine is left
// clean: no step container, nothing the step wrote kept as a layer, no cache entry, no image.
let browser: Browser;
let app: WebApp | undefined;
after(async () => {
  if (app) await waitForBuildsToEnd(app).catch(() => undefined);
  await app?.stop();
  await browser?.close();
});
const work = tempDir('stevedore-e2e-build-cancel-');
const root = join(work, 'store');
before(async () => {
  const [launched] = await Promise.all([launchBrowser(), loadBoxImage(root, work)]);
  browser = launched;
  app = await startWebApp(root);
});

function started(): WebApp {
  assert.ok(app, 'the app started');
  return app;
}

const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
/** What a build may leave behind: blobs, unpacked snapshots, cache entries. */
const stored = () => ({
  blobs: list(join(root, 'oci', 'blobs', 'sha256')),
  snapshots: list(join(root, 'snapshots')),
  cache: list(join(root, 'build-cache')),
});
/** runc containers whose bundle is in this store (other tests may run their own meanwhile). */
function stepContainers(): string[] {
  const r = spawnSync('runc', ['--root', RUNC_ROOT, 'list', '--format', 'json'], { encoding: 'utf8' });
  const listed = (JSON.parse(r.stdout || 'null') ?? []) as { id: string; bundle: string }[];
  return listed.filter((c) => c.bundle.startsWith(root)).map((c) => c.id);
}

test('Cancel stops a build mid-RUN: its container goes, and no layer, cache entry or image is left', async (t) => {
  const context = writeContext(join(work, 'slow'), {
    Dockerfile: [
      'FROM box:v1',
      // Writes into its layer, then waits far longer than the test: only a cancel ends it.
      'RUN echo step-started && dd if=/dev/zero of=/half.bin bs=1024 count=512 && sleep 600 && echo never',
      '',
    ].join('\n'),
  });
  const { page, context: browserContext, pageErrors } = await openApp(browser, started().url);
  t.after(() => browserContext.close());

  await page.getByTestId('nav-builds').click();
  await page.getByTestId('new-build').click();
  const dialog = page.getByRole('dialog', { name: 'New build' });
  await dialog.getByLabel('Context folder', { exact: true }).fill(context);
  await dialog.getByRole('button', { name: 'Add tag' }).click();
  await dialog.getByRole('textbox', { name: 'Tag 1' }).fill('cancelled:one');
  await dialog.getByTestId('build-submit').click();
  await dialog.waitFor({ state: 'detached' });

  const detail = page.getByTestId('build-detail');
  const run = stepRow(detail, 2);
  await eventually(async () => {
    assert.equal(await run.getAttribute('data-state'), 'running');
    assert.ok((await stepLogLines(run)).includes('step-started'));
  }, 15_000);
  await eventually(async () => assert.equal(stepContainers().length, 1, 'the RUN is in its container'));
  // The base image is unpacked by now; from here on, nothing may be added.
  const before = stored();
  assert.ok(before.blobs.length > 0 && before.snapshots.length > 0, 'the store is where the test looks');
  const id = (await detail.getAttribute('data-id')) ?? '';

  await detail.getByRole('button', { name: 'Cancel build' }).click();
  await eventually(async () => assert.equal(await visibleText(detail.getByTestId('build-state')), 'Failed'), 15_000);
  assert.equal(await visibleText(detail.getByTestId('build-error-sentence')), 'The build was cancelled');
  assert.equal(await detail.getByRole('button', { name: 'Cancel build' }).count(), 0, 'nothing left to cancel');
  await page.screenshot({ path: screenshotPath('build-cancelled') });

  const engine = await engineBuild(started(), id);
  assert.equal(engine.state, 'failed');
  assert.equal(engine.error, 'the build was cancelled');
  assert.ok(!engine.output.some((o) => o.text.includes('never')));
  await eventually(async () => assert.deepEqual(stepContainers(), [], 'no step container'));
  assert.deepEqual(stored(), before, 'no layer, snapshot or cache entry from the cancelled step');
  assert.deepEqual(list(join(root, 'tmp', 'build')), [], 'its working directory is gone');
  assert.deepEqual(
    cliJson<ImageSummary[]>(root, ['images']).map((i) => `${i.repository}:${i.tag}`),
    ['box:v1'],
  );
  assert.deepEqual(pageErrors, []);
});
