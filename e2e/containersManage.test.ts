import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerSummary } from '../core/api/containers.schema';
import { stevedore } from '../testkit/cli';
import { openApp, screenshotPath } from './support/browser';
import { containerApp } from './support/containerApp';
import { busyboxImage, removeAllContainers } from './support/containers';
import { eventually } from './support/eventually';
import { cliJson, loadImages } from './support/images';
import { visibleText } from './support/visibleText';

// Issue 18, containers managed from the app: CPU and memory live, pause and resume, kill, search and
// several stopped at once. Real containers (runc as root), one store and one app for the tests.

const { root, running } = containerApp('stevedore-e2e-containers-manage-', async (store, dir) => {
  await loadImages(store, dir, [await busyboxImage('busybox:latest')]);
});

/** Spins one CPU until killed. */
const BUSY = ['sh', '-c', 'while :; do :; done'];
/** Idles, and leaves at once on SIGTERM (a shell as PID 1 ignores it otherwise, and stop would wait 10 s). */
const IDLE = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];

function run(name: string, command: string[], flags: string[] = []): void {
  const r = stevedore(root, ['run', '-d', '--name', name, ...flags, 'busybox:latest', ...command]);
  assert.equal(r.code, 0, r.stderr);
}

function stateOf(name: string): string | undefined {
  return cliJson<ContainerSummary[]>(root, ['ps', '-a']).find((c) => c.name === name)?.state;
}

/** A percentage as the app prints it ("12.5%"), as a number. */
function percent(text: string): number {
  const match = /^([\d.]+)%$/.exec(text.trim());
  assert.ok(match?.[1], `a CPU figure, not "${text}"`);
  return Number(match[1]);
}

test('a busy container shows its CPU above 0 in the list and in its detail, and its memory', async (t) => {
  t.after(() => removeAllContainers(root));
  // Held to half a core: its CPU shows well above 0 without taking a core from the suite's other file.
  run('busy', BUSY, ['--cpus', '0.5']);
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());
  await page.getByTestId('nav-containers').click();
  const row = page.locator('[data-testid="container-row"][data-name="busy"]');
  // The figure is refreshed while the view is open: it moves from nothing measured to a busy CPU.
  await eventually(async () => assert.ok(percent(await visibleText(row.getByTestId('container-cpu'))) > 10), 20_000);
  await eventually(async () =>
    assert.match(await visibleText(row.getByTestId('container-memory')), /^[\d.]+ ?(B|KiB|MiB|GiB)\b/),
  );
  // The sparkline draws the samples seen so far.
  const sparkline = row.getByTestId('container-cpu-sparkline');
  await eventually(async () => {
    const samples = Number(await sparkline.getAttribute('data-samples'));
    assert.ok(samples >= 2, `the sparkline has ${samples} samples: ${await sparkline.evaluate((e) => e.outerHTML)}`);
  }, 20_000);
  await page.screenshot({ path: screenshotPath('containers-stats-list') });

  await row.getByTestId('container-open').click();
  const stats = page.getByTestId('container-stats');
  await stats.waitFor();
  await eventually(async () => assert.ok(percent(await visibleText(stats.getByTestId('stats-cpu'))) > 10), 20_000);
  await eventually(async () => assert.match(await visibleText(stats.getByTestId('stats-memory')), /\d/));
  await eventually(
    async () => assert.ok(Number(await stats.getByTestId('stats-cpu-chart').getAttribute('data-samples')) >= 2),
    20_000,
  );
  await page.screenshot({ path: screenshotPath('containers-stats-detail') });
  assert.deepEqual(pageErrors, []);
});

test('pause a container from its row, see it Paused, resume it from the detail', async (t) => {
  t.after(() => removeAllContainers(root));
  run('sleeper', IDLE);
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());
  await page.getByTestId('nav-containers').click();
  const row = page.locator('[data-testid="container-row"][data-name="sleeper"]');
  await row.getByRole('button', { name: 'Pause sleeper' }).click();
  await eventually(async () => assert.equal(await visibleText(row.getByTestId('container-state')), 'Paused'));
  assert.equal(stateOf('sleeper'), 'paused');
  // A paused container is resumed, not stopped or restarted, from its row.
  assert.equal(await row.getByRole('button', { name: 'Resume sleeper' }).count(), 1);
  await page.screenshot({ path: screenshotPath('containers-paused') });

  await row.getByTestId('container-open').click();
  const detail = page.getByTestId('container-detail');
  await detail.waitFor();
  assert.equal(await visibleText(detail.getByTestId('container-state').first()), 'Paused');
  await detail.getByRole('button', { name: 'Resume sleeper' }).click();
  await eventually(async () => assert.equal(await visibleText(detail.getByTestId('container-state').first()), 'Running'));
  assert.equal(stateOf('sleeper'), 'running');
  assert.equal(await detail.getByRole('button', { name: 'Pause sleeper' }).count(), 1);
  assert.deepEqual(pageErrors, []);
});

test('kill a container from its detail: it ends at once with 137, as SIGKILL does', async (t) => {
  t.after(() => removeAllContainers(root));
  // Ignores SIGTERM for good: only a kill ends it.
  run('stubborn', ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done']);
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());
  await page.getByTestId('nav-containers').click();
  const row = page.locator('[data-testid="container-row"][data-name="stubborn"]');
  await row.getByTestId('container-open').click();
  const detail = page.getByTestId('container-detail');
  await detail.waitFor();
  await detail.getByRole('button', { name: 'Kill stubborn' }).click();
  await eventually(async () => assert.equal(await visibleText(detail.getByTestId('container-state').first()), 'Exited'));
  const killed = cliJson<ContainerSummary[]>(root, ['ps', '-a']).find((c) => c.name === 'stubborn');
  assert.deepEqual([killed?.state, killed?.exitCode], ['exited', 137]);
  assert.equal(await detail.getByRole('button', { name: 'Kill stubborn' }).count(), 0, 'no Kill for a stopped container');
  assert.deepEqual(pageErrors, []);
});

test('search containers by name or image, pick two running ones and stop them together', async (t) => {
  t.after(() => removeAllContainers(root));
  run('web-one', IDLE);
  run('web-two', IDLE);
  run('worker', IDLE);
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());
  await page.getByTestId('nav-containers').click();
  const rows = page.getByTestId('container-row');
  await eventually(async () => assert.equal(await rows.count(), 3));

  const search = page.getByTestId('containers-search');
  await search.fill('web');
  await eventually(async () =>
    assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.dataset.name).sort()), ['web-one', 'web-two']),
  );
  // The image matches too: all three run busybox.
  await search.fill('busybox');
  await eventually(async () => assert.equal(await rows.count(), 3));
  await search.fill('web');
  await eventually(async () => assert.equal(await rows.count(), 2));

  await page.getByRole('checkbox', { name: 'Select web-one' }).check();
  await page.getByRole('checkbox', { name: 'Select web-two' }).check();
  const stop = page.getByTestId('containers-stop-checked');
  assert.equal(await visibleText(stop), 'Stop 2 containers');
  await page.screenshot({ path: screenshotPath('containers-multi-select') });
  // The header's extra buttons do not push the shell wider than a small window.
  await page.setViewportSize({ width: 1024, height: 700 });
  const fits = await page.evaluate(() => {
    const doc = document.scrollingElement ?? document.documentElement;
    return { scrolls: doc.scrollHeight > doc.clientHeight, wide: doc.scrollWidth > doc.clientWidth };
  });
  assert.deepEqual(fits, { scrolls: false, wide: false });
  await page.screenshot({ path: screenshotPath('containers-multi-select-1024') });
  await page.setViewportSize({ width: 1360, height: 900 });
  await stop.click();
  await eventually(() => {
    assert.equal(stateOf('web-one'), 'exited');
    assert.equal(stateOf('web-two'), 'exited');
  }, 30_000);
  // The one not picked (and hidden by the search) still runs.
  assert.equal(stateOf('worker'), 'running');

  // Remove, for the picked ones, after one confirmation.
  await page.getByTestId('show-stopped').check();
  await page.getByRole('checkbox', { name: 'Select web-one' }).check();
  await page.getByRole('checkbox', { name: 'Select web-two' }).check();
  await page.getByTestId('containers-remove-checked').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.match(await visibleText(dialog), /web-one/);
  assert.match(await visibleText(dialog), /web-two/);
  await dialog.getByRole('button', { name: /^Remove/ }).click();
  await eventually(() => {
    assert.equal(stateOf('web-one'), undefined);
    assert.equal(stateOf('web-two'), undefined);
  }, 30_000);
  assert.equal(stateOf('worker'), 'running');
  await eventually(async () => assert.equal(await rows.count(), 0));
  assert.deepEqual(pageErrors, []);
});
