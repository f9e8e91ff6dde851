import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ImageSummary } from '../core/api/images.schema';
import { loadBoxImage } from '../testkit/containerImages';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { engineBuild, shownSteps, stepLogLines, stepRow, waitForBuildsToEnd, writeContext } from './support/builds';
import { eventually } from './support/eventually';
import { cliJson } from './support/images';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// Real builds: RUN in runc containers over overlayfs (root). One store and one app for the tests.
let browser: Browser;
let app: WebApp | undefined;
// Registered before tempDir's hook, so it runs first: builds end and the server goes before their store.
after(async () => {
  if (app) await waitForBuildsToEnd(app).catch(() => undefined);
  await app?.stop();
  await browser?.close();
});
const work = tempDir('stevedore-e2e-builds-');
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

/** The RUN prints a line, then sleeps, then prints another: the page must show the first while the step still runs. */
const helloContext = () =>
  writeContext(join(work, 'hello'), {
    Dockerfile: [
      'FROM box:v1',
      'ARG WHO=nobody',
      'COPY greeting.txt /greeting.txt',
      'RUN echo "built-line for $WHO" && cat /greeting.txt && sleep 2 && echo after-sleep',
      'CMD ["cat", "/greeting.txt"]',
      '',
    ].join('\n'),
    'greeting.txt': 'hello from the context\n',
  });

async function openBuilds(page: Page): Promise<void> {
  await page.getByTestId('nav-builds').click();
  await page.getByRole('heading', { name: 'Builds', level: 1 }).or(page.getByTestId('build-detail')).first().waitFor();
}

/** The detail of a build other than `previous` (the one New build just opened), and its ID. */
async function openedBuild(page: Page, previous?: string): Promise<{ id: string; detail: ReturnType<Page['getByTestId']> }> {
  const detail = page.getByTestId('build-detail');
  let id = '';
  await eventually(async () => {
    id = (await detail.getAttribute('data-id')) ?? '';
    assert.match(id, /^[0-9a-f]{16}$/);
    assert.notEqual(id, previous);
  });
  return { id, detail };
}

test('a build from the form streams its RUN step, links its image; built again, every step after FROM is CACHED', async (t) => {
  const context = helloContext();
  const { page, context: browserContext, pageErrors } = await openApp(browser, started().url);
  t.after(() => browserContext.close());

  await openBuilds(page);
  await page.getByTestId('builds-empty').waitFor();
  await page.getByTestId('new-build').click();
  const dialog = page.getByRole('dialog', { name: 'New build' });
  await dialog.waitFor();

  // Checked as typed: the context is a full path on the engine's machine; tags follow the reference grammar.
  const contextField = dialog.getByLabel('Context folder', { exact: true });
  await contextField.fill('hello');
  assert.equal(await contextField.getAttribute('aria-invalid'), 'true');
  assert.match(await visibleText(dialog), /Type the full path, starting with \//);
  assert.ok(await dialog.getByTestId('build-submit').isDisabled());
  await contextField.fill(context);
  assert.equal(await visibleText(dialog.getByTestId('build-dockerfile-path')), `${context}/Dockerfile`);
  await dialog.getByRole('button', { name: 'Add tag' }).click();
  const tag = dialog.getByRole('textbox', { name: 'Tag 1' });
  await tag.fill('Built:one');
  assert.equal(await tag.getAttribute('aria-invalid'), 'true');
  assert.match(await visibleText(dialog), /Repository names are lowercase\./);
  assert.ok(await dialog.getByTestId('build-submit').isDisabled());
  await tag.fill('built:one');
  await dialog.getByRole('button', { name: 'Add build argument' }).click();
  await dialog.getByRole('textbox', { name: 'Build argument 1' }).fill('WHO=e2e');
  assert.ok(await dialog.getByTestId('build-submit').isEnabled());
  await page.screenshot({ path: screenshotPath('builds-new-dialog') });
  await dialog.getByTestId('build-submit').click();
  await dialog.waitFor({ state: 'detached' });

  // The build's detail opens at once; the RUN step runs with its log open, its first line there
  // before the step ends (streamed from build.output, not read once it is over).
  const first = await openedBuild(page);
  const { detail } = first;
  assert.equal(await visibleText(detail.getByTestId('build-title')), 'built:one');
  const run = stepRow(detail, 4);
  await eventually(async () => {
    assert.equal(await run.getAttribute('data-state'), 'running');
    assert.equal(await visibleText(run.getByTestId('step-marker')), 'RUNNING');
    assert.equal(await run.locator('.spinner').count(), 1);
    assert.equal(await visibleText(detail.getByTestId('build-state')), 'Running');
    const lines = await stepLogLines(run);
    assert.deepEqual(lines.slice(0, 2), ['built-line for e2e', 'hello from the context']);
    assert.ok(!lines.includes('after-sleep'), 'the step is still sleeping');
  }, 10_000);
  await page.screenshot({ path: screenshotPath('builds-running') });

  // Every step done; the page lists the steps the engine reports, with the CLI's words.
  await eventually(async () => assert.equal(await visibleText(detail.getByTestId('build-state')), 'Done'), 15_000);
  const engine = await engineBuild(started(), first.id);
  assert.equal(engine.state, 'done');
  assert.deepEqual(
    (await shownSteps(detail)).map((s) => `${s.step} ${s.state} ${s.marker} ${s.title}`),
    engine.steps.map((s) => `${s.step} ${s.state} DONE ${s.title}`),
  );
  assert.deepEqual(
    engine.steps.map((s) => s.title),
    [
      '[1/5] FROM box:v1',
      '[2/5] ARG WHO=nobody',
      '[3/5] COPY greeting.txt /greeting.txt',
      '[4/5] RUN echo "built-line for $WHO" && cat /greeting.txt && sleep 2 && echo after-sleep',
      '[5/5] CMD ["cat", "/greeting.txt"]',
    ],
  );
  // At least the step's `sleep 2`; no upper bound, which only the machine's load decides.
  assert.match(await visibleText(run.getByTestId('step-time')), /^(?:[2-9]|\d{2,})\.\ds$/);
  assert.equal(await visibleText(detail.getByTestId('build-step-summary')), '5 steps');
  // Done, the step closes as BuildKit's progress does; opened, it has the whole output.
  const toggle = run.getByTestId('build-step-toggle');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  await eventually(async () =>
    assert.deepEqual(await stepLogLines(run), ['built-line for e2e', 'hello from the context', 'after-sleep']),
  );

  // The image built, linked: the same ID the CLI lists under the tag.
  const built = cliJson<ImageSummary[]>(root, ['images']).find((i) => i.reference === 'docker.io/library/built:one');
  assert.ok(built, 'the CLI lists built:one');
  assert.equal(engine.imageId, built.id);
  const link = detail.getByRole('button', { name: `Open image ${built.id.slice(7, 19)} in Images` });
  await link.waitFor();
  assert.equal(await link.getAttribute('data-image-id'), built.id);
  await page.screenshot({ path: screenshotPath('builds-done') });
  await link.click();
  const imageDetail = page.getByTestId('image-detail');
  await imageDetail.waitFor();
  assert.equal(await visibleText(imageDetail.getByTestId('detail-title')), 'built:one');
  assert.equal(await page.getByTestId('nav-images').getAttribute('aria-current'), 'page');

  // Build again: the form comes back with this build's settings; everything after FROM is CACHED.
  // The sidebar's Builds is the list (issue 18: a view's entry goes back to its list); the row opens the build.
  await openBuilds(page);
  await page.locator(`[data-testid="build-row"][data-id="${first.id}"]`).getByTestId('build-open').click();
  await detail.getByTestId('build-again').click();
  const again = page.getByRole('dialog', { name: 'New build' });
  await again.waitFor();
  assert.equal(await again.getByLabel('Context folder', { exact: true }).inputValue(), context);
  assert.equal(await again.getByLabel('Dockerfile', { exact: true }).inputValue(), '');
  assert.equal(await again.getByRole('textbox', { name: 'Tag 1' }).inputValue(), 'built:one');
  assert.equal(await again.getByRole('textbox', { name: 'Build argument 1' }).inputValue(), 'WHO=e2e');
  assert.equal(await again.getByTestId('build-no-cache').isChecked(), false);
  await again.getByTestId('build-submit').click();
  await again.waitFor({ state: 'detached' });
  const second = await openedBuild(page, first.id);
  await eventually(async () => assert.equal(await visibleText(detail.getByTestId('build-state')), 'Done'), 15_000);
  assert.deepEqual(
    (await shownSteps(detail)).map((s) => `${s.step} ${s.state} ${s.marker}`),
    ['1 done DONE', '2 cached CACHED', '3 cached CACHED', '4 cached CACHED', '5 cached CACHED'],
  );
  assert.deepEqual(
    (await engineBuild(started(), second.id)).steps.map((s) => s.state),
    ['done', 'cached', 'cached', 'cached', 'cached'],
  );
  // A cached step has no time of its own: nothing ran.
  assert.equal(await visibleText(run.getByTestId('step-time')), '');
  assert.equal(await visibleText(detail.getByTestId('build-step-summary')), '5 steps · 4 cached');
  assert.equal(
    await detail.getByRole('button', { name: `Open image ${built.id.slice(7, 19)} in Images` }).getAttribute('data-image-id'),
    built.id,
  );
  await page.screenshot({ path: screenshotPath('builds-cached') });

  // The history: both builds, newest first, with their steps and the cached ones counted.
  await page.getByTestId('build-back').click();
  const rows = page.getByTestId('build-row');
  await eventually(async () => assert.equal(await rows.count(), 2));
  assert.deepEqual(await Promise.all([0, 1].map((i) => rows.nth(i).getAttribute('data-id'))), [second.id, first.id]);
  assert.deepEqual(await page.getByTestId('build-steps-count').allInnerTexts(), ['5 steps · 4 cached', '5 steps']);
  assert.deepEqual(await rows.getByTestId('build-state').allInnerTexts(), ['Done', 'Done']);
  assert.equal(await visibleText(page.getByTestId('builds-summary')), '2 builds');
  await page.screenshot({ path: screenshotPath('builds-history') });
  assert.deepEqual(pageErrors, []);
});

test('a failing RUN shows the failed step with its output and the build’s error sentence', async (t) => {
  const context = writeContext(join(work, 'failing'), { Dockerfile: 'FROM box:v1\nRUN echo about-to-fail && exit 3\n' });
  const { page, context: browserContext, pageErrors } = await openApp(browser, started().url);
  t.after(() => browserContext.close());

  await openBuilds(page);
  await page.getByTestId('new-build').click();
  const dialog = page.getByRole('dialog', { name: 'New build' });
  await dialog.getByLabel('Context folder', { exact: true }).fill(context);
  await dialog.getByTestId('build-submit').click();
  const { id, detail } = await openedBuild(page);

  await eventually(async () => assert.equal(await visibleText(detail.getByTestId('build-state')), 'Failed'), 15_000);
  const sentence = 'Process "/bin/sh -c echo about-to-fail && exit 3" did not complete successfully: exit code: 3';
  assert.equal(await visibleText(detail.getByRole('alert')), sentence);
  assert.equal((await engineBuild(started(), id)).error, `p${sentence.slice(1)}`);
  // Untagged, the build is named by its folder, and no image is offered.
  assert.equal(await visibleText(detail.getByTestId('build-title')), 'failing');
  assert.equal(await detail.getByTestId('build-result').count(), 0);

  assert.deepEqual(
    (await shownSteps(detail)).map((s) => `${s.step} ${s.state} ${s.marker}`),
    ['1 done DONE', '2 failed ERROR'],
  );
  // The failed step is open on its own: its output, and why it failed.
  const failed = stepRow(detail, 2);
  assert.equal(await failed.getByTestId('build-step-toggle').getAttribute('aria-expanded'), 'true');
  await eventually(async () => assert.deepEqual(await stepLogLines(failed), ['about-to-fail']));
  assert.equal(await visibleText(failed.getByTestId('step-error')), sentence);
  await page.screenshot({ path: screenshotPath('builds-failed') });
  assert.deepEqual(pageErrors, []);
});

test('a Dockerfile that is not there fails the build before any step, and says which file', async (t) => {
  const context = writeContext(join(work, 'no-dockerfile'), { 'README.md': 'no Dockerfile here\n' });
  const { page, context: browserContext, pageErrors } = await openApp(browser, started().url);
  t.after(() => browserContext.close());

  await openBuilds(page);
  await page.getByTestId('new-build').click();
  const dialog = page.getByRole('dialog', { name: 'New build' });
  await dialog.getByLabel('Context folder', { exact: true }).fill(context);
  await dialog.getByLabel('Dockerfile', { exact: true }).fill('docker/Dockerfile.dev');
  assert.equal(await visibleText(dialog.getByTestId('build-dockerfile-path')), `${context}/docker/Dockerfile.dev`);
  await dialog.getByTestId('build-submit').click();
  const { detail } = await openedBuild(page);
  await eventually(async () => assert.equal(await visibleText(detail.getByTestId('build-state')), 'Failed'));
  assert.equal(
    await visibleText(detail.getByRole('alert')),
    `Cannot read the Dockerfile ${context}/docker/Dockerfile.dev: ENOENT`,
  );
  assert.equal(await visibleText(detail.getByTestId('build-no-steps')), 'No step ran.');
  assert.deepEqual(pageErrors, []);
});
