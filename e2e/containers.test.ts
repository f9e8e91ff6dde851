import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ContainerDetail, ContainerSummary } from '../core/api/containers.schema';
import { stevedore } from '../testkit/cli';
import { openApp, screenshotPath } from './support/browser';
import { containerApp } from './support/containerApp';
import { busyboxImage, removeAllContainers } from './support/containers';
import { eventually } from './support/eventually';
import { cliJson, loadImages } from './support/images';
import { screenLines, typeAtPrompt } from './support/terminalScreen';
import { visibleText } from './support/visibleText';

// Real containers: runc as root, conmon, overlayfs. One store and one app for the three tests.
const { root, running } = containerApp('stevedore-e2e-containers-', async (store, dir) => {
  await loadImages(store, dir, [await busyboxImage('busybox:latest')]);
});

/** Prints a line every 0.2 s; leaves at once on SIGTERM (a shell as PID 1 ignores it otherwise, and stop would wait 10 s). */
const TICKER = `sh -c 'trap "exit 0" TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done'`;

/** The "N lines" the Logs tab counts: every line received, not only the ones in view. */
async function logLineCount(page: Page): Promise<number> {
  const match = /^([\d,]+) lines?$/.exec(await visibleText(page.getByTestId('logs-summary')));
  assert.ok(match?.[1], 'the Logs tab counts its lines');
  return Number(match[1].replaceAll(',', ''));
}

function psAll(): ContainerSummary[] {
  return cliJson<ContainerSummary[]>(root, ['ps', '-a']);
}

test('run busybox from Images, watch its logs stream, then stop, start and remove it with clicks', async (t) => {
  t.after(() => removeAllContainers(root));
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());

  // The image row's own Run button opens the dialog for that image, the name field first.
  await page.getByRole('button', { name: 'Run busybox:latest' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run a container' });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel('Image', { exact: true }).inputValue(), 'busybox:latest');
  assert.ok(
    await dialog.getByLabel('Name', { exact: true }).evaluate((el) => el === document.activeElement),
    'the name field has focus',
  );

  // Fields are checked as they are typed: a bad port blocks Run until it is fixed (here: removed).
  await dialog.getByRole('button', { name: 'Add port' }).click();
  const port = dialog.getByRole('textbox', { name: 'Port 1' });
  await port.fill('8080:http');
  assert.equal(await port.getAttribute('aria-invalid'), 'true');
  assert.match(await visibleText(dialog), /Invalid port "8080:http": the container port must be a number from 1 to 65535/);
  assert.ok(await dialog.getByTestId('run-submit').isDisabled());
  await dialog.getByRole('button', { name: 'Remove port 1' }).click();
  assert.ok(await dialog.getByTestId('run-submit').isEnabled());

  await dialog.getByLabel('Name', { exact: true }).fill('ticker');
  await dialog.getByLabel('Command', { exact: true }).fill(TICKER);
  // Split as a shell would: the single-quoted script is one argument, $i left for the container's shell.
  assert.match(await visibleText(dialog), /Runs \["sh","-c","trap \\"exit 0\\" TERM; i=0; while true; do echo tick \$i;/);
  await page.screenshot({ path: screenshotPath('containers-run-dialog') });
  await dialog.getByTestId('run-submit').click();

  // Success opens the container's detail on its Logs tab.
  await dialog.waitFor({ state: 'detached' });
  const detail = page.getByTestId('container-detail');
  await detail.waitFor();
  assert.equal(await visibleText(detail.getByTestId('container-title')), 'ticker');
  assert.equal(await detail.getByRole('tab', { name: 'Logs' }).getAttribute('aria-selected'), 'true');
  await eventually(async () => assert.equal(await visibleText(detail.getByTestId('container-state')), 'Running'));

  // Lines stream in while the tab is open: the count grows, in order, from the first line.
  const lines = detail.getByTestId('log-line');
  let first = 0;
  await eventually(async () => {
    first = await logLineCount(page);
    assert.ok(first >= 2, `${first} lines so far`);
  });
  assert.equal((await visibleText(lines.first())).trim(), 'tick 0');
  await eventually(async () => {
    const now = await logLineCount(page);
    assert.ok(now >= first + 5, `from ${first} to ${now} lines`);
  });
  // The lines in view (the list is virtualized): consecutive, none lost or twice.
  const shown = (await lines.allInnerTexts()).map((l) => l.trim());
  const from = Number(/^tick (\d+)$/.exec(shown[0] ?? '')?.[1]);
  assert.deepEqual(
    shown,
    shown.map((_, i) => `tick ${from + i}`),
  );
  // The search keeps matching lines and marks the match.
  await detail.getByRole('searchbox', { name: 'Search the logs' }).fill('tick 1');
  await eventually(async () => assert.match(await visibleText(page.getByTestId('logs-summary')), /^\d+ of \d+ lines$/));
  assert.equal(await visibleText(lines.first().locator('mark')), 'tick 1');
  await detail.getByRole('searchbox', { name: 'Search the logs' }).fill('');
  await page.screenshot({ path: screenshotPath('containers-logs') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('containers-logs-dark') });
  await page.emulateMedia({ colorScheme: 'light' });

  // The list shows it Up, with the same ID the CLI reports.
  await page.getByRole('button', { name: 'Containers', exact: true }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: 'ticker', exact: true }) });
  await eventually(async () => {
    assert.equal(await visibleText(row.getByTestId('container-state')), 'Running');
    assert.match(await visibleText(row.getByTestId('container-status')), /^Up (Less than a second|\d+ seconds?)$/);
  });
  const [listed] = psAll();
  assert.equal(listed?.name, 'ticker');
  assert.equal(await row.getAttribute('data-id'), listed?.id);
  assert.equal(await visibleText(page.getByTestId('nav-containers').locator('.sidebar__count')), '1');
  await page.screenshot({ path: screenshotPath('containers-list') });

  // Stop: the shell traps SIGTERM and exits 0.
  await row.getByRole('button', { name: 'Stop ticker' }).click();
  await eventually(async () => {
    assert.equal(await visibleText(row.getByTestId('container-state')), 'Exited');
    assert.match(await visibleText(row.getByTestId('container-status')), /^Exited \(0\) /);
  });
  assert.equal(psAll()[0]?.state, 'exited');
  assert.equal(await visibleText(page.getByTestId('nav-containers').locator('.sidebar__count')), '0');

  // Start it again.
  await row.getByRole('button', { name: 'Start ticker' }).click();
  await eventually(async () => {
    assert.equal(await visibleText(row.getByTestId('container-state')), 'Running');
    assert.match(await visibleText(row.getByTestId('container-status')), /^Up /);
  });
  assert.equal(psAll()[0]?.state, 'running');

  // Remove asks first, and says a running container is killed.
  await row.getByRole('button', { name: 'Remove ticker' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove ticker?' });
  await confirm.waitFor();
  assert.match(await visibleText(confirm), /It is running: it will be killed/);
  await confirm.getByRole('button', { name: 'Kill and remove' }).click();
  await page.getByTestId('containers-empty').waitFor();
  assert.deepEqual(psAll(), []);
  assert.deepEqual(pageErrors, []);
});

test('the Terminal tab runs a shell in the container through xterm', async (t) => {
  t.after(() => removeAllContainers(root));
  // Started from the CLI: the app lists what other processes run too.
  const started = stevedore(root, [
    'run',
    '-d',
    '--name',
    'shell-box',
    'busybox',
    'sh',
    '-c',
    'trap "exit 0" TERM; while true; do sleep 0.2; done',
  ]);
  assert.equal(started.code, 0, started.stderr);
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());

  await page.getByTestId('nav-containers').click();
  await page.getByRole('button', { name: 'shell-box', exact: true }).click();
  const detail = page.getByTestId('container-detail');
  await detail.getByRole('tab', { name: 'Terminal' }).click();
  const status = detail.getByTestId('terminal-status');
  await eventually(async () => assert.equal(await visibleText(status), 'Shell in shell-box'));

  // Keystrokes go to the shell; its output comes back into xterm's rows.
  await typeAtPrompt(page, detail, 'echo hello-from-terminal');
  await eventually(async () => {
    const text = await screenLines(detail);
    assert.ok(
      text.some((r) => r.endsWith('# echo hello-from-terminal')),
      `the command echoed at a prompt:\n${text.join('\n')}`,
    );
    assert.ok(text.includes('hello-from-terminal'), `its output on a line of its own:\n${text.join('\n')}`);
  });
  await page.screenshot({ path: screenshotPath('containers-terminal') });

  // The shell's exit ends the session, and the tab says how.
  await typeAtPrompt(page, detail, 'exit 3');
  await eventually(async () => assert.equal(await visibleText(status), 'Session ended (exit 3)'));
  assert.ok((await screenLines(detail)).some((r) => r.includes('[session ended (exit 3)]')));
  assert.deepEqual(pageErrors, []);
});

/** A TCP port some other program holds on 127.0.0.1. */
function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

const HTTPD = `sh -c 'mkdir -p /www && echo hello-from-httpd > /www/index.html && exec httpd -f -p 80 -h /www'`;

test('the Run dialog pulls a missing image first (a failed pull said in it), says why the engine refused, and links the published port', async (t) => {
  t.after(() => removeAllContainers(root));
  const held = await holdPort();
  t.after(() => held.server.close());
  const { page, context, pageErrors } = await openApp(running().browser, running().app.url);
  t.after(() => context.close());

  await page.getByTestId('nav-containers').click();
  await page.getByTestId('containers-empty').waitFor();
  await page.getByTestId('containers-run-button').click();
  const dialog = page.getByRole('dialog', { name: 'Run a container' });
  const image = dialog.getByLabel('Image', { exact: true });
  assert.ok(await image.evaluate((el) => el === document.activeElement), 'without an image, the image field has focus');

  // An image the store lacks is pulled first (issue 18); a pull that cannot start says why here.
  await image.fill('example.invalid/nope:1');
  await eventually(async () => assert.match(await visibleText(dialog), /Not in the store: Run pulls it first/));
  await dialog.getByTestId('run-submit').click();
  await eventually(async () => assert.match(await visibleText(dialog.getByTestId('run-error')), /example\.invalid/));
  const missing = dialog.getByTestId('run-image-missing');

  // A host port another program holds: the engine's refusal, as one sentence in the dialog.
  await image.fill('busybox');
  await eventually(async () => assert.match(await visibleText(dialog), /busybox:latest, in the store/));
  assert.equal(await missing.count(), 0);
  await dialog.getByLabel('Name', { exact: true }).fill('web');
  await dialog.getByLabel('Command', { exact: true }).fill(HTTPD);
  await dialog.getByRole('button', { name: 'Add port' }).click();
  const port = dialog.getByRole('textbox', { name: 'Port 1' });
  await port.fill(`127.0.0.1:${held.port}:80`);
  await dialog.getByTestId('run-submit').click();
  await eventually(async () =>
    assert.equal(await visibleText(dialog.getByTestId('run-error')), `Port 127.0.0.1:${held.port} is already in use`),
  );
  // And a refused run leaves nothing behind to block the retry under the same name.
  await eventually(() => assert.deepEqual(psAll(), []));

  // Without a host port the engine picks a free one; the detail links to it, and the link reaches httpd.
  await port.fill('80');
  await dialog.getByTestId('run-submit').click();
  const detail = page.getByTestId('container-detail');
  await detail.waitFor();
  const inspected = cliJson<ContainerDetail>(root, ['inspect', 'web']);
  const published = inspected.ports[0];
  assert.ok(published && published.hostPort > 0 && published.containerPort === 80, JSON.stringify(inspected.ports));
  const link = detail.getByTestId('detail-ports').getByRole('link', { name: `${published.hostPort}:80` });
  assert.equal(await link.getAttribute('href'), `http://localhost:${published.hostPort}`);
  await eventually(async () => {
    const [opened] = await Promise.all([context.waitForEvent('page'), link.click()]);
    t.after(() => opened.close());
    await opened.waitForLoadState();
    assert.equal((await visibleText(opened.locator('body'))).trim(), 'hello-from-httpd');
  }, 8_000);

  // The Inspect tab says what the CLI says.
  await detail.getByRole('tab', { name: 'Inspect' }).click();
  const inspect = detail.getByTestId('inspect-tab');
  assert.equal(await visibleText(inspect.getByTestId('inspect-id')), inspected.id);
  assert.equal(await visibleText(inspect.getByTestId('inspect-ip').locator('dd')), inspected.ipAddress ?? '—');
  assert.match(
    await visibleText(inspect.getByTestId('inspect-ports')),
    new RegExp(`0\\.0\\.0\\.0:${published.hostPort}->80/tcp`),
  );
  assert.equal(await visibleText(inspect.getByTestId('inspect-bundle')), inspected.bundle);
  assert.equal(await visibleText(inspect.getByTestId('inspect-log-path')), inspected.logPath);
  await inspect.getByTestId('inspect-network').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('containers-inspect') });
  assert.deepEqual(pageErrors, []);
});
