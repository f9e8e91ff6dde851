import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ContainerDetail } from '../core/api/containers.schema';
import { stevedore } from '../testkit/cli';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry';
import { openApp, screenshotPath } from './support/browser';
import { containerApp } from './support/containerApp';
import { busyboxImage } from './support/containers';
import { eventually } from './support/eventually';
import { cliJson, loadImages } from './support/images';
import { startThrottledProxy, type ThrottledProxy } from './support/throttledProxy';
import { visibleText } from './support/visibleText';

// Issue 18: the Run dialog's advanced options (environment, a named volume, the restart policy),
// checked as the CLI checks them, and an image that is not local pulled first in the same flow,
// its progress in the dialog.

let registry: RunningRegistry | undefined;
let proxy: ThrottledProxy | undefined;
const { root, running } = containerApp('stevedore-e2e-run-advanced-', async (_store, dir) => {
  registry = await startRegistry();
  const seed = join(dir, 'seed');
  await loadImages(seed, dir, [await busyboxImage('seed/box:1')]);
  const pushed = stevedore(seed, ['push', 'seed/box:1', `${registry.host}/team/box:1`]);
  assert.equal(pushed.code, 0, pushed.stderr);
  // Slow enough that the pull is seen under way in the dialog.
  proxy = await startThrottledProxy(registry.port, 300_000);
});
after(async () => {
  await proxy?.stop();
  await registry?.stop();
});

test('Run an image the store lacks: pulled first with progress, then run with env, a named volume and a restart policy', async (t) => {
  assert.ok(proxy);
  const { browser, app } = running();
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.getByTestId('nav-containers').click();
  await page.getByTestId('containers-run-button').click();
  const dialog = page.getByRole('dialog', { name: 'Run a container' });
  const reference = `${proxy.host}/team/box:1`;
  await dialog.getByLabel('Image', { exact: true }).fill(reference);
  // Said once the image list has come: under load it can arrive after the text is typed.
  await eventually(async () => assert.match(await visibleText(dialog), /Not in the store: Run pulls it first/));
  await dialog.getByLabel('Name', { exact: true }).fill('pulled');
  await dialog.getByLabel('Command', { exact: true }).fill('sleep 1000');

  await dialog.getByRole('button', { name: 'Add variable' }).click();
  await dialog.getByRole('textbox', { name: 'Variable 1' }).fill('GREETING=hello');
  // A named volume, as -v takes it; a relative container path is refused in the CLI's words.
  await dialog.getByRole('button', { name: 'Add volume' }).click();
  const volume = dialog.getByRole('textbox', { name: 'Volume 1' });
  await volume.fill('data:data');
  assert.match(await visibleText(dialog), /Invalid volume "data:data": the container path must be absolute/);
  assert.ok(await dialog.getByTestId('run-submit').isDisabled());
  await volume.fill('data:/data');
  // The restart policy, and --rm with it refused as the CLI refuses it.
  await dialog.getByLabel('Restart', { exact: true }).selectOption('on-failure');
  await dialog.getByLabel('Remove when it exits').check();
  assert.match(await visibleText(dialog), /Conflicting options: --restart and --rm/);
  assert.ok(await dialog.getByTestId('run-submit').isDisabled());
  await dialog.getByLabel('Remove when it exits').uncheck();
  await dialog.getByLabel('Retries', { exact: true }).fill('3');

  await dialog.getByTestId('run-submit').click();
  const bar = dialog.getByTestId('run-pull-progress').getByRole('progressbar');
  await bar.waitFor();
  await page.screenshot({ path: screenshotPath('run-pulls-first') });
  // Then the container runs and its detail opens.
  await page.getByTestId('container-detail').waitFor({ timeout: 60_000 });
  const inspected = cliJson<ContainerDetail>(root, ['inspect', 'pulled']);
  assert.equal(inspected.state, 'running');
  assert.ok(inspected.env.includes('GREETING=hello'), inspected.env.join(' '));
  assert.deepEqual(inspected.restartPolicy, { name: 'on-failure', maximumRetryCount: 3 });
  assert.ok(
    inspected.mounts?.some((m) => m.type === 'volume' && m.name === 'data' && m.target === '/data'),
    JSON.stringify(inspected.mounts),
  );
  await eventually(async () =>
    assert.ok(cliJson<{ repository: string }[]>(root, ['images']).some((i) => i.repository === `${proxy?.host}/team/box`)),
  );
  assert.deepEqual(pageErrors, []);
});

test('A pull that fails before the run says why in the dialog, and nothing is run', async (t) => {
  assert.ok(registry);
  const { browser, app } = running();
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.getByTestId('nav-containers').click();
  const before = cliJson<unknown[]>(root, ['ps', '-a']).length;
  await page.getByTestId('containers-run-button').click();
  const dialog = page.getByRole('dialog', { name: 'Run a container' });
  await dialog.getByLabel('Image', { exact: true }).fill(`${registry.host}/team/nothing:1`);
  await dialog.getByTestId('run-submit').click();
  await eventually(async () =>
    assert.equal(await visibleText(dialog.getByTestId('run-error')), `No repository ${registry?.host}/team/nothing`),
  );
  assert.equal(cliJson<unknown[]>(root, ['ps', '-a']).length, before);
  assert.equal(await page.getByTestId('nav-failed-count').count(), 0);
  assert.deepEqual(pageErrors, []);
});
