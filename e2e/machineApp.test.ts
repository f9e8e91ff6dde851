import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { machineTestSkipReason, userStoreWithGuest } from '../testkit/machineSetup.js';
import { ensureTestUser, type NormalUser, stevedoreAs, userEnv, userTempDir } from '../testkit/normalUser.js';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { screenLines, typeAtPrompt } from './support/terminalScreen';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// The app as a desktop user has it: `stevedore ui` run by a normal account, so containers run in
// the machine. The top bar says the machine's state, Settings starts it, and a container run
// from the Run dialog shows its logs and terminal and stops, all through the machine.
const skip = machineTestSkipReason();
if (skip) console.log(`# machine app test skipped: ${skip}`);

let browser: Browser | undefined;
let app: WebApp | undefined;
let user: NormalUser;
let work = '';
let root = '';

after(async () => {
  await app?.stop();
  await browser?.close();
  if (root) stevedoreAs(user, root, ['machine', 'rm', '-f']);
  if (work) rmSync(work, { recursive: true, force: true });
});

before(async () => {
  if (skip) return;
  user = ensureTestUser();
  work = userTempDir(user, 'stevedore-e2e-machine-');
  root = await userStoreWithGuest(user, work, { init: true });
  browser = await launchBrowser();
  app = await startWebApp(root, 15_000, { uid: user.uid, gid: user.gid, env: userEnv(user) });
});

/** Prints a line every 0.2 s; leaves at once on SIGTERM. */
const TICKER = `sh -c 'trap "exit 0" TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done'`;

test('a normal user starts the machine from Settings, runs a container from the Run dialog, sees its logs and terminal, and stops it', {
  skip: skip || false,
  // A stuck guest must fail the suite, never hang it.
  timeout: 600_000,
}, async (t) => {
  assert.ok(browser && app);
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());

  // The top bar says what runs containers before anything is started.
  const indicator = page.getByTestId('machine-indicator');
  await eventually(async () => assert.equal(await visibleText(indicator), 'Machine: stopped'));
  // The suite asks for the machine by name (a normal user's default is rootless); the title says why it runs.
  assert.match((await indicator.getAttribute('title')) ?? '', /STEVEDORE_RUNTIME asks for it/);
  await page.screenshot({ path: screenshotPath('machine-indicator-stopped') });

  // Settings: the runtime and why, the machine's resources, and Start.
  await indicator.click();
  assert.match(await visibleText(page.getByTestId('runtime-kind')), /in a Linux machine/);
  assert.equal(await visibleText(page.getByTestId('machine-state')), 'stopped');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await eventually(async () => assert.equal(await visibleText(page.getByTestId('machine-state')), 'running'), 240_000, 500);
  assert.match(await visibleText(indicator), /^Machine: running \((tcg|kvm)\)$/);
  assert.match(await visibleText(page.getByTestId('machine-facts')), /Your files\s*shared/);
  // The guest prints its ready line on the console just after it tells the host: the view polls.
  await eventually(async () => assert.match(await visibleText(page.getByTestId('machine-console')), /stevedore-agent: ready/));
  await page.screenshot({ path: screenshotPath('machine-settings') });

  // Run from the image's row, as on a root engine: the run goes through the machine.
  await page.getByTestId('nav-images').click();
  await page.getByRole('button', { name: 'Run box:v1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run a container' });
  await dialog.waitFor();
  await dialog.getByLabel('Name', { exact: true }).fill('vm-ticker');
  await dialog.getByLabel('Command', { exact: true }).fill(TICKER);
  await dialog.getByTestId('run-submit').click();
  await dialog.waitFor({ state: 'detached', timeout: 120_000 });
  const detail = page.getByTestId('container-detail');
  await detail.waitFor();
  await eventually(async () => assert.equal(await visibleText(detail.getByTestId('container-state')), 'Running'), 60_000);
  const lines = detail.getByTestId('log-line');
  await eventually(async () => assert.ok((await lines.count()) >= 3, 'lines stream in'), 60_000);
  assert.equal((await visibleText(lines.first())).trim(), 'tick 0');
  await page.screenshot({ path: screenshotPath('machine-container-logs') });

  // The terminal is a shell in the container inside the machine.
  await detail.getByRole('tab', { name: 'Terminal' }).click();
  await eventually(
    async () => assert.equal(await visibleText(detail.getByTestId('terminal-status')), 'Shell in vm-ticker'),
    60_000,
  );
  await typeAtPrompt(page, detail, 'echo from-the-machine-$((6*7))', 60_000);
  await eventually(async () => {
    const text = await screenLines(detail);
    assert.ok(text.includes('from-the-machine-42'), text.join('\n'));
  }, 60_000);
  await page.screenshot({ path: screenshotPath('machine-container-terminal') });

  // Stop from the list; the CLI (the same user's) sees the same.
  await page.getByRole('button', { name: 'Containers', exact: true }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: 'vm-ticker', exact: true }) });
  await row.getByRole('button', { name: 'Stop vm-ticker' }).click();
  await eventually(async () => assert.equal(await visibleText(row.getByTestId('container-state')), 'Exited'), 60_000);
  const ps = JSON.parse(stevedoreAs(user, root, ['ps', '-a', '--json']).stdout) as { name: string; state: string }[];
  assert.deepEqual(
    ps.map((c) => `${c.name} ${c.state}`),
    ['vm-ticker exited'],
  );
  assert.deepEqual(pageErrors, []);
});
