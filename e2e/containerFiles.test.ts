import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stevedore } from '../testkit/cli';
import { snapshotTree } from '../testkit/treeSnapshot';
import { connectBridge, invokeOverBridge } from './support/bridgeSocket';
import { openApp, screenshotPath } from './support/browser';
import { containerApp } from './support/containerApp';
import { busyboxImage } from './support/containers';
import { eventually } from './support/eventually';
import { loadImages } from './support/images';
import { visibleText } from './support/visibleText';

// Issue 18: a container's Files tab: its filesystem as a tree read a directory at a time (name,
// type, size, mode, time), what changed against the image as docker diff says it, and a file
// downloaded; confined to the container's root filesystem whatever path is asked.

const { work, running } = containerApp('stevedore-e2e-container-files-', async (store, dir) => {
  mkdirSync(join(dir, 'outside', 'etc'), { recursive: true });
  writeFileSync(join(dir, 'outside', 'etc', 'passwd'), 'decoy:x:0:0::/:/bin/sh\n');
  await loadImages(store, dir, [await busyboxImage('busybox:latest')]);
  const r = stevedore(store, [
    'run',
    '-d',
    '--name',
    'files',
    'busybox:latest',
    'sh',
    '-c',
    'echo made here > /made.txt; rm /bin/true; sleep 1000',
  ]);
  assert.equal(r.code, 0, r.stderr);
});
/** Beside the store: what a climbing path would reach first. */
const outside = join(work, 'outside');

test('Files: browse the container by directory, see its changes, download a file', async (t) => {
  const { browser, app } = running();
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.getByTestId('nav-containers').click();
  await page.getByTestId('container-open').first().click();
  await page.getByRole('tab', { name: 'Files' }).click();
  const files = page.getByTestId('container-files');
  const row = (path: string) => files.locator(`[data-testid="file-row"][data-path="${path}"]`);
  await eventually(async () => assert.equal(await row('/made.txt').count(), 1));
  // Lazily: /bin's entries are read when it opens.
  assert.equal(await row('/bin/busybox').count(), 0);
  await row('/bin').getByRole('button', { name: 'Open bin' }).click();
  await row('/bin/busybox').waitFor();
  assert.match(await visibleText(row('/bin/busybox')), /-rwxr-xr-x/);
  assert.match(await visibleText(row('/bin/sh')), /sh → busybox/);
  assert.equal(await row('/bin/true').count(), 0);

  const changes = files.getByTestId('container-changes');
  await eventually(async () => {
    const text = await visibleText(changes);
    for (const line of [/A\s*\/made\.txt/, /C\s*\/bin\b/, /D\s*\/bin\/true/]) assert.match(text, line);
  });
  await page.screenshot({ path: screenshotPath('container-files') });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row('/made.txt').getByRole('button', { name: 'Download made.txt' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'made.txt');
  const saved = join(work, 'downloaded.txt');
  await download.saveAs(saved);
  assert.equal(readFileSync(saved, 'utf8'), 'made here\n');
  assert.deepEqual(pageErrors, []);
});

test('containers.files and containers.readFile stay inside the container whatever the path', async () => {
  const { app } = running();
  const { socket } = await connectBridge(app, { token: app.token }, app.origin);
  assert.ok(socket);
  try {
    const before = snapshotTree(outside);
    const climbed = await invokeOverBridge(socket, 'containers.files', { id: 'files', path: '../../../../..' });
    assert.ok(climbed.ok);
    const names = (climbed.value as { entries: { name: string }[] }).entries.map((e) => e.name);
    assert.ok(names.includes('made.txt') && names.includes('bin'), names.join(' '));
    const passwd = await invokeOverBridge(socket, 'containers.readFile', { id: 'files', path: '/../../../../etc/passwd' });
    assert.deepEqual(passwd, { ok: false, error: { code: 'NOT_FOUND', message: 'no such file /etc/passwd in the container' } });
    assert.deepEqual(snapshotTree(outside), before);
  } finally {
    socket.close();
  }
});
