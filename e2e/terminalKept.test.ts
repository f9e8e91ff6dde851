import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stevedore } from '../testkit/cli';
import { openApp, screenshotPath } from './support/browser';
import { containerApp } from './support/containerApp';
import { busyboxImage } from './support/containers';
import { eventually } from './support/eventually';
import { loadImages } from './support/images';
import { screenLines, typeAtPrompt } from './support/terminalScreen';
import { visibleText } from './support/visibleText';

// Issue 18, bug 7: the Terminal's shell stays while the container runs: switching to Logs (or
// to another view) and back finds the same shell, with what it printed and what it was told.
const { root, running } = containerApp('stevedore-e2e-terminal-kept-', async (store, dir) => {
  await loadImages(store, dir, [await busyboxImage('busybox:latest')]);
});

test('the Terminal keeps its shell across a switch to Logs and to another view, while the container runs', async (t) => {
  const { browser, app } = running();
  const started = stevedore(root, [
    'run',
    '-d',
    '--name',
    'kept',
    'busybox',
    'sh',
    '-c',
    'trap "exit 0" TERM; while true; do sleep 0.2; done',
  ]);
  assert.equal(started.code, 0, started.stderr);
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());

  await page.getByTestId('nav-containers').click();
  await page.getByRole('button', { name: 'kept', exact: true }).click();
  const detail = page.getByTestId('container-detail');
  await detail.getByRole('tab', { name: 'Terminal' }).click();
  const status = detail.getByTestId('terminal-status');
  await eventually(async () => assert.equal(await visibleText(status), 'Shell in kept'));
  // A shell variable lives only in that shell: a new session would not know it.
  await typeAtPrompt(page, detail, 'MARK=kept-$((6*7)); echo first-$MARK');
  await eventually(async () => assert.ok((await screenLines(detail)).includes('first-kept-42')));

  await detail.getByRole('tab', { name: 'Logs' }).click();
  await detail.getByRole('tab', { name: 'Terminal' }).click();
  assert.ok((await screenLines(detail)).includes('first-kept-42'), 'what the shell printed is still there');
  await page.getByTestId('nav-images').click();
  await page.getByTestId('nav-containers').click();
  await page.getByRole('button', { name: 'kept', exact: true }).click();
  await detail.getByRole('tab', { name: 'Terminal' }).click();
  await eventually(async () => assert.equal(await visibleText(status), 'Shell in kept'));

  await typeAtPrompt(page, detail, 'echo again-$MARK');
  await eventually(async () =>
    assert.ok((await screenLines(detail)).includes('again-kept-42'), (await screenLines(detail)).join('\n')),
  );
  await page.screenshot({ path: screenshotPath('terminal-kept') });

  // Stopped, the container takes the shell with it; the tab offers to start it again.
  assert.equal(stevedore(root, ['stop', 'kept']).code, 0);
  await detail.getByTestId('terminal-unavailable').waitFor();
  assert.deepEqual(pageErrors, []);
});
