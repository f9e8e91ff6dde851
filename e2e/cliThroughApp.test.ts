// `stevedore pull` typed in a terminal while the app is open (web mode) goes through the app's
// engine, as docker's CLI does through Docker Desktop: the terminal prints what it always prints,
// and the app's Transfers panel draws the transfer live, then Images lists the image. Which path
// the CLI took is told by the run itself (testkit/engineTrace.ts, as core/cli/transferRun.test.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { ImageSummary } from '../core/api/images.schema';
import { cliPath } from '../testkit/cli';
import { type EnginePath, engineTrace } from '../testkit/engineTrace';
import type { WrittenImage } from '../testkit/ociLayout';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { cliJson } from './support/images';
import { pushRandomImage } from './support/registryImages';
import { startThrottledProxy, type ThrottledProxy } from './support/throttledProxy';
import { visibleText } from './support/visibleText';
import { startWebApp } from './support/webApp';

const work = tempDir('stevedore-e2e-cli-');
// The app and the CLI read logins from the same place, so the CLI lets the app's engine pull.
process.env.DOCKER_CONFIG = join(work, 'docker-config');

let browser: Browser;
let registry: RunningRegistry;
let proxy: ThrottledProxy;
let image: WrittenImage;
before(async () => {
  [browser, registry] = await Promise.all([launchBrowser(), startRegistry()]);
  image = await pushRandomImage({
    seedRoot: join(work, 'seed'),
    work,
    host: registry.host,
    repository: 'e2e/terminal',
    tags: ['1'],
    layerMegabytes: [8, 8, 8],
  });
  // About four seconds for 24 MB: long enough to watch the bars move and to press Ctrl-C midway.
  proxy = await startThrottledProxy(registry.port, 6_000_000);
});
after(async () => {
  await browser?.close();
  await proxy?.stop();
  await registry?.stop();
});

const trace = engineTrace(work);
interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  path: EnginePath;
}

/** The built `stevedore`, as typed in a terminal next to the app (no STEVEDORE_NO_DAEMON unless given). */
function startCli(root: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const { STEVEDORE_ROOT: _root, STEVEDORE_NO_DAEMON: _noDaemon, ...env } = process.env;
  const traced = trace.run();
  const child = spawn(process.execPath, [...traced.nodeArgs, cliPath, '--root', root, ...args], {
    env: { ...env, ...traced.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const done = new Promise<CliRun>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, path: traced.path() })),
  );
  return { child, done, exited: () => child.exitCode !== null || child.signalCode !== null };
}

/** Lines in order where they are ordered, blob lines sorted: blobs are fetched in parallel. */
function normalized(out: string): string[] {
  return out
    .trim()
    .split('\n')
    .sort((a, b) => (/^[0-9a-f]{12}: /.test(a) && /^[0-9a-f]{12}: /.test(b) ? a.localeCompare(b) : 0));
}

const short = (digest: string) => digest.slice(7, 19);

async function percent(bar: Locator): Promise<number> {
  return Number((await bar.getAttribute('aria-valuenow')) ?? Number.NaN);
}

/** A mark on the page's window object: still there later means the page was never reloaded. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { stevedoreE2eMark?: boolean }).stevedoreE2eMark = true;
  });
}
async function stillMarked(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { stevedoreE2eMark?: boolean }).stevedoreE2eMark === true);
}

test('a pull typed in a terminal goes through the open app: live in Transfers, then listed in Images', async (t) => {
  const root = join(work, 'app');
  const app = await startWebApp(root);
  t.after(() => app.stop());
  assert.ok(lstatSync(join(root, 'engine.sock')).isSocket(), 'stevedore ui serves the engine socket');
  const ref = `${proxy.host}/e2e/terminal:1`;

  // Two windows on the app: one on Transfers, one left on Images, which nobody touches.
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const images = await openApp(browser, app.url);
  t.after(() => images.context.close());
  await images.page.getByTestId('images-empty').waitFor();
  await page.getByTestId('nav-transfers').click();
  await page.getByTestId('transfers-empty').waitFor();
  await Promise.all([markPage(page), markPage(images.page)]);

  const started = Date.now();
  const cli = startCli(root, ['pull', ref]);

  // While it runs: the app draws it, its total bar moving, a bar per blob, the sidebar counting it.
  const card = page.locator('[data-testid="transfer"][data-operation="pull"][data-state="running"]');
  await card.waitFor();
  const seenAfter = Date.now() - started;
  assert.equal(await visibleText(card.getByTestId('transfer-subject')), ref);
  const total = card.getByTestId('transfer-total');
  assert.equal(await total.getAttribute('role'), 'progressbar');
  let first = Number.NaN;
  await eventually(async () => {
    first = await percent(total);
    assert.ok(first > 0 && first < 90, `total at ${first}%`);
  });
  await eventually(async () => {
    const now = await percent(total);
    assert.ok(now > first && now < 100, `total moved from ${first}% to ${now}%`);
  });
  await eventually(async () => {
    const states = await card.getByTestId('blob-state').allTextContents();
    assert.ok(states.includes('Downloading'), states.join(', '));
    assert.match(await visibleText(card.getByTestId('transfer-stats')), /MB of 24\.\dMB · [\d.]+MB\/s · \d+ s left/);
  });
  assert.equal(await card.getByTestId('transfer-blob').count(), 5, 'manifest, config and three layers');
  assert.equal(await card.locator('[role="progressbar"]').count(), 1 + 5, 'a total bar and one per blob');
  assert.equal(await visibleText(page.getByTestId('nav-transfers').locator('.sidebar__count')), '1');
  assert.equal(cli.exited(), false, 'the CLI was still pulling while the app drew it');
  await page.screenshot({ path: screenshotPath('cli-pull-running') });

  // The terminal: the lines an in-process pull prints, exit code 0, through the app's engine.
  const run = await cli.done;
  const took = Date.now() - started;
  assert.deepEqual([run.code, run.signal, run.stderr], [0, null, '']);
  assert.equal(run.path, 'engine', "the app's engine answered the pull");
  const lines = run.stdout.trim().split('\n');
  assert.deepEqual(lines.slice(-2), [`Digest: ${image.manifestDigest}`, ref]);
  for (const d of image.layerDigests) assert.ok(run.stdout.includes(`${short(d)}: Pull complete\n`), run.stdout);
  // The same pull without the app (straight from the registry, the host named as the proxy's).
  const alone = startCli(join(work, 'alone'), ['pull', `${registry.host}/e2e/terminal:1`], { STEVEDORE_NO_DAEMON: '1' });
  const aloneRun = await alone.done;
  assert.deepEqual([aloneRun.code, aloneRun.path], [0, 'in-process'], aloneRun.stderr);
  assert.deepEqual(normalized(run.stdout), normalized(aloneRun.stdout.replaceAll(registry.host, proxy.host)));

  // Done in the panel: full bar, every blob complete, nothing counted as running.
  const done = page.locator('[data-testid="transfer"][data-operation="pull"][data-state="done"]');
  await done.waitFor();
  assert.equal(await visibleText(done.getByTestId('transfer-subject')), ref);
  assert.equal(await visibleText(done.getByTestId('transfer-state')), 'Done');
  assert.equal(await done.getByTestId('transfer-total').getAttribute('aria-valuenow'), '100');
  const states = await done.getByTestId('blob-state').allTextContents();
  assert.deepEqual([...new Set(states)], ['Pull complete'], states.join(', '));
  assert.equal(await page.getByTestId('transfer').count(), 1, 'one transfer, the CLI’s');
  assert.equal(await page.getByTestId('nav-transfers').locator('.sidebar__count').count(), 0);
  await page.screenshot({ path: screenshotPath('cli-pull-done'), animations: 'disabled' });

  // The other window, left on Images all along, lists the image: no reload, no click.
  const row = images.page.getByTestId('image-row');
  await eventually(async () => assert.equal(await row.count(), 1), 5000);
  assert.equal(await visibleText(row.getByTestId('row-repository')), `${proxy.host}/e2e/terminal`);
  assert.equal(await visibleText(row.getByTestId('row-tag')), '1');
  assert.equal(await visibleText(row.getByTestId('row-id')), short(image.configDigest));
  await images.page.screenshot({ path: screenshotPath('cli-pull-images'), animations: 'disabled' });
  assert.ok(await stillMarked(images.page), 'the Images window was not reloaded');
  assert.ok(await stillMarked(page), 'the Transfers window was not reloaded');
  const [stored] = cliJson<ImageSummary[]>(root, ['images']);
  assert.equal(stored?.reference, ref);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(images.pageErrors, []);
  t.diagnostic(`the card showed ${seenAfter} ms after the CLI started; the pull took ${took} ms`);
});

test('Ctrl-C on a terminal pull cancels it in the app: Cancelled in Transfers, no image', async (t) => {
  const root = join(work, 'cancel');
  const app = await startWebApp(root);
  t.after(() => app.stop());
  const ref = `${proxy.host}/e2e/terminal:1`;
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const images = await openApp(browser, app.url);
  t.after(() => images.context.close());
  await images.page.getByTestId('images-empty').waitFor();
  await page.getByTestId('nav-transfers').click();
  await page.getByTestId('transfers-empty').waitFor();

  const cli = startCli(root, ['pull', ref]);
  const card = page.locator('[data-testid="transfer"][data-operation="pull"][data-state="running"]');
  await card.waitFor();
  // Midway: some layer bytes in, well short of the end.
  await eventually(async () => {
    const now = await percent(card.getByTestId('transfer-total'));
    assert.ok(now >= 10 && now < 80, `total at ${now}%`);
  });
  assert.equal(cli.exited(), false, 'the CLI was still pulling');
  // The Images window counts the running transfer too: it hears the engine's transfer events.
  const imagesTransferCount = images.page.getByTestId('nav-transfers').locator('.sidebar__count');
  await imagesTransferCount.waitFor();
  cli.child.kill('SIGINT');

  const run = await cli.done;
  assert.equal(run.path, 'engine');
  assert.deepEqual([run.code, run.signal], [1, null]);
  assert.match(run.stderr, /^error: pull of .+ cancelled\n$/);
  assert.ok(!run.stdout.includes('Digest:'), run.stdout);

  const cancelled = page.locator('[data-testid="transfer"][data-operation="pull"][data-state="cancelled"]');
  await cancelled.waitFor();
  assert.equal(await visibleText(cancelled.getByTestId('transfer-subject')), ref);
  assert.equal(await visibleText(cancelled.getByTestId('transfer-state')), 'Cancelled');
  assert.match(await visibleText(cancelled.getByTestId('transfer-error')), /cancelled/i);
  assert.match(await visibleText(cancelled.getByTestId('transfer-stats')), /MB of 24\.\dMB · stopped after/);
  assert.equal(await cancelled.getByTestId('transfer-cancel').count(), 0);
  assert.equal(await page.getByTestId('transfer').count(), 1);
  assert.equal(await page.getByTestId('nav-transfers').locator('.sidebar__count').count(), 0);
  await page.screenshot({ path: screenshotPath('cli-pull-cancelled'), animations: 'disabled' });

  // Nothing kept: the store has no image, and Images stays empty once its window has heard the end.
  assert.deepEqual(cliJson<ImageSummary[]>(root, ['images']), []);
  await imagesTransferCount.waitFor({ state: 'detached' });
  assert.equal(await images.page.getByTestId('image-row').count(), 0);
  assert.ok(await images.page.getByTestId('images-empty').isVisible());
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(images.pageErrors, []);
});
