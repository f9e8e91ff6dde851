import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { cliPath } from '../testkit/cli';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { visibleText } from './support/visibleText';

// Issue 18, bug 4: restarting `stevedore ui` must not strand the open tabs, and a tab without
// the access link gets a page that says what to do.

const root = tempDir();
let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

interface Ui {
  url: URL;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** `stevedore ui --port PORT`, as a person restarts it on the port their tabs know. */
function startUi(port: number): Promise<Ui> {
  const { STEVEDORE_ROOT: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, [cliPath, '--root', root, 'ui', '--port', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    children.delete(child);
  };
  let output = '';
  return new Promise<Ui>((resolve, reject) => {
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
      const match = /serving the app at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve({ url: new URL(match[1]), stop });
    });
    child.once('exit', (code) => reject(new Error(`stevedore ui exited (${code}):\n${output}`)));
  });
}

const status = (page: Page) => page.locator('.engine-status').getAttribute('data-status');

test('bug 4: a restart of stevedore ui keeps the open tab working, its reload, and the printed link', async (t) => {
  const first = await startUi(0);
  t.after(() => first.stop());
  const port = Number(first.url.port);
  const token = first.url.searchParams.get('token');
  const { page, context, pageErrors } = await openApp(browser, first.url.href);
  t.after(() => context.close());
  await eventually(async () => assert.equal(await status(page), 'open'));

  await first.stop();
  await eventually(async () => assert.equal(await status(page), 'reconnecting'));
  const second = await startUi(port);
  t.after(() => second.stop());
  assert.equal(second.url.searchParams.get('token'), token, 'the same access for the same user');

  // The open tab gets back in by itself, and so does a reload of it.
  await eventually(async () => assert.equal(await status(page), 'open'), 15_000);
  await page.reload();
  await eventually(async () => assert.equal(await status(page), 'open'));
  // The link printed by the first launch still opens the app.
  const again = await openApp(browser, first.url.href);
  t.after(() => again.context.close());
  await eventually(async () => assert.equal(await status(again.page), 'open'));
  await page.screenshot({ path: screenshotPath('bug4-after-restart') });
  // The token is kept in the store directory, for the store's owner alone.
  assert.equal(statSync(join(root, 'ui-token')).mode & 0o777, 0o600);
  // While the server was down the browser logged its refused sockets; nothing else went wrong.
  assert.deepEqual(
    pageErrors.filter((e) => !e.includes('net::ERR_CONNECTION_REFUSED')),
    [],
  );
  assert.deepEqual(again.pageErrors, []);
});

test('bug 4: a tab without the link, or with a stale one, gets a styled page that says what to do', async (t) => {
  const ui = await startUi(0);
  t.after(() => ui.stop());

  // Opened without the token: the app says how to get in instead of reconnecting for ever.
  const bare = await openApp(browser, ui.url.origin);
  t.after(() => bare.context.close());
  const needed = bare.page.getByTestId('access-needed');
  await needed.waitFor();
  assert.match(await visibleText(needed), /stevedore ui/);
  assert.equal(await bare.page.locator('.engine-status').count(), 0, 'no engine status that will never change');
  await bare.page.screenshot({ path: screenshotPath('bug4-access-needed') });

  // A token from elsewhere: refused, on a page that looks like the app's and says the same.
  const stale = await browser.newContext();
  t.after(() => stale.close());
  const page = await stale.newPage();
  const response = await page.goto(`${ui.url.origin}/?token=not-this-one`);
  assert.equal(response?.status(), 401);
  const heading = page.getByRole('heading');
  assert.match(await visibleText(heading), /access/i);
  assert.match(await visibleText(page.locator('body')), /stevedore ui/);
  const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.doesNotMatch(font, /^"?Times/, 'styled, not the browser default');
  await page.screenshot({ path: screenshotPath('bug4-stale-link') });
});
