import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ContainerDetail } from '../core/api/containers.schema';
import type { ContainerStats } from '../core/api/stats.schema';
import { openApp, screenshotPath } from './support/browser';
import { containerApp } from './support/containerApp';
import { busyboxImage } from './support/containers';
import { cliJson, loadImages } from './support/images';
import { visibleText } from './support/visibleText';

// Issue 18: the Run dialog's advanced section (env file, user, workdir, entrypoint, TTY, memory and
// CPU limits, labels), each refused as it is typed in the CLI's words, then a container run with
// all of them, checked through the engine rather than the form.

const { root, work, running } = containerApp('stevedore-e2e-run-advanced-flags-', async (store, dir) => {
  await loadImages(store, dir, [await busyboxImage('busybox:latest')]);
  // docker's --env-file: comments and blank lines skipped; a bare name takes the caller's value, and
  // the app has no shell to take it from, so it is left out.
  writeFileSync(join(dir, 'app.env'), '# settings\nFROM_FILE=yes\nSHARED=from-file\n\nBARE_NAME\n');
});

/** The CFS quota of a running container's cgroup (v1's cpu.cfs_quota_us, v2's cpu.max), from inspect's pid. */
function cpuQuota(pid: number): string {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
  const v1 = lines.find((l) => l.split(':')[1]?.split(',').includes('cpu'));
  if (v1) return readFileSync(join('/sys/fs/cgroup/cpu', v1.split(':')[2] ?? '', 'cpu.cfs_quota_us'), 'utf8').trim();
  const v2 = lines.find((l) => l.startsWith('0::'));
  assert.ok(v2, lines.join('\n'));
  return readFileSync(join('/sys/fs/cgroup', v2.slice(3), 'cpu.max'), 'utf8').split(' ')[0] ?? '';
}

test('Run with an env file, user, workdir, entrypoint, TTY, memory and CPU limits and labels: each checked, then as asked in the engine', async (t) => {
  const { browser, app } = running();
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.getByTestId('nav-containers').click();
  await page.getByTestId('containers-run-button').click();
  const dialog = page.getByRole('dialog', { name: 'Run a container' });
  const submit = dialog.getByTestId('run-submit');
  await dialog.getByLabel('Image', { exact: true }).fill('busybox:latest');
  await dialog.getByLabel('Name', { exact: true }).fill('tuned');
  await dialog.getByLabel('Command', { exact: true }).fill('-c "sleep 1000"');
  await dialog.getByRole('button', { name: 'Add variable' }).click();
  await dialog.getByRole('textbox', { name: 'Variable 1' }).fill('SHARED=typed');

  await dialog.getByTestId('run-advanced').locator('summary').click();
  /** Types `bad` in a field, sees `refusal` and Run held, then types `good`. */
  const refusedThenFixed = async (label: string, bad: string, refusal: RegExp, good: string) => {
    const field = dialog.getByLabel(label, { exact: true });
    await field.fill(bad);
    assert.match(await visibleText(dialog), refusal);
    assert.ok(await submit.isDisabled(), `${label} "${bad}" holds Run`);
    await field.fill(good);
    assert.doesNotMatch(await visibleText(dialog), refusal);
  };
  await refusedThenFixed(
    'Env file',
    'app.env',
    /Type the file’s full path, starting with \/: it is on the engine’s machine/,
    join(work, 'app.env'),
  );
  await refusedThenFixed('User', 'web user', /Write a user name or ID, optionally :group, without blanks/, '1234:5678');
  await refusedThenFixed('Working dir', 'srv/app', /The working directory must be absolute, got "srv\/app"/, '/srv/app');
  await dialog.getByLabel('Entrypoint', { exact: true }).fill('/bin/sh');
  await dialog.getByLabel('Give it a terminal (TTY)').check();
  await refusedThenFixed('Memory', 'lots', /Invalid --memory "lots": expected a size such as 32m or 1g/, '1m');
  assert.match(await visibleText(dialog), /Minimum memory limit allowed is 6MB/);
  await dialog.getByLabel('Memory', { exact: true }).fill('64m');
  await refusedThenFixed('CPUs', '-1', /Invalid --cpus "-1": expected a positive number such as 0\.5/, '0.5');
  await dialog.getByRole('button', { name: 'Add label' }).click();
  const label = dialog.getByRole('textbox', { name: 'Label 1' });
  await label.fill('=web');
  assert.match(await visibleText(dialog), /The name before “=” is missing/);
  assert.ok(await submit.isDisabled());
  await label.fill('team=web');
  await dialog.getByRole('button', { name: 'Add label' }).click();
  await dialog.getByRole('textbox', { name: 'Label 2' }).fill('tier');
  await page.screenshot({ path: screenshotPath('run-advanced-section') });

  await submit.click();
  await page.getByTestId('container-detail').waitFor({ timeout: 60_000 });
  const inspected = cliJson<ContainerDetail>(root, ['inspect', 'tuned']);
  assert.equal(inspected.state, 'running');
  // The file's lines, then -e over them (docker's order); the bare name is not there.
  assert.ok(inspected.env.includes('FROM_FILE=yes'), inspected.env.join(' '));
  assert.ok(inspected.env.includes('SHARED=typed'), inspected.env.join(' '));
  assert.ok(!inspected.env.some((e) => e.startsWith('BARE_NAME')), inspected.env.join(' '));
  assert.equal(inspected.user, '1234:5678');
  assert.equal(inspected.workingDir, '/srv/app');
  assert.deepEqual(inspected.args, ['/bin/sh', '-c', 'sleep 1000']);
  assert.equal(inspected.tty, true);
  assert.deepEqual(inspected.labels, { team: 'web', tier: '' });
  const [stats] = cliJson<ContainerStats[]>(root, ['stats', '--no-stream', 'tuned']);
  assert.equal(stats?.memoryLimitBytes, 64 * 1024 * 1024);
  assert.ok(inspected.pid);
  assert.equal(cpuQuota(inspected.pid), '50000');
  assert.deepEqual(pageErrors, []);
});

test('An env file the engine cannot read is refused in one sentence, and nothing runs', async (t) => {
  const { browser, app } = running();
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.getByTestId('nav-containers').click();
  await page.getByTestId('containers-run-button').click();
  const dialog = page.getByRole('dialog', { name: 'Run a container' });
  await dialog.getByLabel('Image', { exact: true }).fill('busybox:latest');
  await dialog.getByLabel('Name', { exact: true }).fill('no-env');
  await dialog.getByTestId('run-advanced').locator('summary').click();
  const missing = join(work, 'missing.env');
  await dialog.getByLabel('Env file', { exact: true }).fill(missing);
  await dialog.getByTestId('run-submit').click();
  const error = dialog.getByTestId('run-error');
  await error.waitFor();
  assert.equal(await visibleText(error), `Cannot read the env file ${missing}: ENOENT`);
  assert.ok(!cliJson<{ name: string }[]>(root, ['ps', '-a']).some((c) => c.name === 'no-env'));
  assert.deepEqual(pageErrors, []);
});
