import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { tempDir } from '../../testkit/tempDir';
import { launchBrowser } from './browser';
import { removeAllContainers } from './containers';
import { startWebApp, type WebApp } from './webApp';

export interface ContainerApp {
  /** The test file's own directory (tempDir's: removed when the file ends). */
  readonly work: string;
  /** The store the app serves, `<work>/store`. */
  readonly root: string;
  /** The browser and the app, once the file's `before` has run. */
  running(): { browser: Browser; app: WebApp };
}

/**
 * What the app tests with real containers share: a store in a fresh directory, filled by
 * `prepare` (images, containers) while Debian's Chromium starts, then `stevedore ui` serving it.
 * Call it at the top of the file. node runs a file's top-level `before` as soon as it is registered,
 * so `prepare` starts before the lines below the call: it must not use the file's later constants.
 * Its `after` runs before the store is deleted (tempDir's directories go as the process exits):
 * the containers, the server and the browser go first, even when a test failed half-way (no runc
 * process, mount or network namespace left behind).
 */
export function containerApp(prefix: string, prepare: (root: string, work: string) => Promise<void>): ContainerApp {
  let browser: Browser | undefined;
  let launching: Promise<Browser> | undefined;
  let app: WebApp | undefined;
  let root = '';
  after(async () => {
    if (root) removeAllContainers(root);
    await app?.stop();
    // A browser still starting when a failed `prepare` ended the file is closed once it is up.
    await (browser ?? (await launching?.catch(() => undefined)))?.close();
  });
  const work = tempDir(prefix);
  root = join(work, 'store');
  before(async () => {
    launching = launchBrowser();
    await prepare(root, work);
    [browser, app] = await Promise.all([launching, startWebApp(root)]);
  });
  return {
    work,
    root,
    running: () => {
      assert.ok(browser && app, 'the browser and the app started');
      return { browser, app };
    },
  };
}
