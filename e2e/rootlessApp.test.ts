import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  ensureTestUser,
  killNamespaceHolder,
  type NormalUser,
  removeUserTempDir,
  rootlessSkipReason,
  userDir,
  userEnv,
  userTempDir,
} from '../testkit/normalUser.js';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// The app as a normal user on Linux has it by default: `stevedore ui` on the rootless runtime.
// The top bar and Settings say "rootless", give the engine's reason, and show no machine.
const skip = rootlessSkipReason();
if (skip) console.log(`# rootless app test skipped: ${skip}`);

let browser: Browser | undefined;
let app: WebApp | undefined;
let user: NormalUser;
let work = '';
let root = '';

before(async () => {
  if (skip) return;
  user = ensureTestUser();
  work = userTempDir(user, 'stevedore-e2e-rootless-app-');
  chmodSync(work, 0o755);
  root = userDir(user, join(work, 'store'));
  browser = await launchBrowser();
  // The host's choice (the suite's user environment otherwise asks for the machine).
  app = await startWebApp(root, 30_000, { uid: user.uid, gid: user.gid, env: userEnv(user, { STEVEDORE_RUNTIME: '' }) });
});

after(async () => {
  await app?.stop();
  await browser?.close();
  killNamespaceHolder(root);
  if (work) assert.deepEqual(removeUserTempDir(work), []);
});

test('a normal user\'s app says "rootless" in the top bar and Settings, with the reason, and no machine', {
  skip: skip || false,
  timeout: 120_000,
}, async (t) => {
  assert.ok(browser && app);
  const { page, context } = await openApp(browser, app.url);
  t.after(() => context.close());

  const indicator = page.getByTestId('machine-indicator');
  await eventually(async () => assert.equal(await visibleText(indicator), 'Containers: rootless'));
  assert.match((await indicator.getAttribute('title')) ?? '', /user namespaces work/);
  await indicator.click();
  assert.equal(await visibleText(page.getByTestId('runtime-kind')), 'rootless (runc in a user namespace)');
  const facts = await visibleText(page.getByTestId('runtime-facts'));
  assert.match(facts, /the engine runs as uid \d+, and native runc needs root; user namespaces work/);
  assert.match(facts, /--runtime native\|rootless\|vm/);
  assert.equal(await page.getByTestId('machine-facts').count(), 0);
  assert.equal(await page.getByTestId('machine-missing').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Start', exact: true }).count(), 0);
  await page.screenshot({ path: screenshotPath('rootless-settings') });
});

test('stopping the app stops the engine it runs inside the namespace: nothing of it is left serving', {
  skip: skip || false,
}, async () => {
  assert.ok(app);
  // The command the user started only waits; the engine is the command it re-ran inside the holder.
  const serving = () =>
    spawnSync('pgrep', ['-u', String(user.uid), '-f', `${root} ui`], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean);
  assert.ok(serving().length >= 2, 'the outer command and the engine inside the namespace');
  await app.stop();
  await eventually(() => assert.deepEqual(serving(), []), 10_000);
  await eventually(
    async () =>
      assert.equal(
        await fetch(app!.url).then(
          () => 'answered',
          () => 'gone',
        ),
        'gone',
      ),
    10_000,
  );
});
