import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { FaultProxy } from '../testkit/registry/faultProxy';
import { type RunningRegistry, startRegistry } from '../testkit/registry/registry';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { pushRandomImage } from './support/registryImages';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

// Issue 18, bug 7: when one blob of a pull fails, the others the pull stops read "Stopped", not
// "Failed · cancelled": only the blob that failed says Failed, with its reason.
const work = tempDir('stevedore-e2e-stopped-blob-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

let browser: Browser;
let registry: RunningRegistry;
let proxy: FaultProxy | undefined;
let app: WebApp;
let layers: string[] = [];
before(async () => {
  [browser, registry] = await Promise.all([launchBrowser(), startRegistry()]);
  const written = await pushRandomImage({
    seedRoot: join(work, 'seed'),
    work,
    host: registry.host,
    repository: 'e2e/half',
    tags: ['1'],
    layerMegabytes: [6, 0.1],
  });
  layers = written.layerDigests;
  proxy = new FaultProxy(registry.port);
  await proxy.start();
  app = await startWebApp(join(work, 'app'));
});
after(async () => {
  await browser?.close();
  await app?.stop();
  await proxy?.stop();
  await registry?.stop();
});

test('a blob the pull stopped because another failed reads Stopped; the one that failed reads Failed and why', async (t) => {
  assert.ok(proxy);
  const [big, small] = layers as [string, string];
  // The big layer comes in part and then hangs; the small one is refused: the pull fails on it
  // while the big one is still on its way.
  proxy.addRule({ method: 'GET', path: new RegExp(`/blobs/${big}`), fault: { stallAfter: 200_000 }, times: 5 });
  proxy.addRule({
    method: 'GET',
    path: new RegExp(`/blobs/${small}`),
    fault: { status: 403, body: '{"errors":[{"code":"DENIED","message":"no"}]}' },
    times: 5,
  });
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());

  await page.getByTestId('pull-button').click();
  await page.getByTestId('pull-reference').fill(`${proxy.host}/e2e/half:1`);
  await page.getByTestId('pull-submit').click();
  await page.getByTestId('nav-transfers').click();
  const failed = page.locator('[data-testid="transfer"][data-state="failed"]');
  await failed.waitFor({ timeout: 30_000 });

  const blob = (digest: string) => failed.locator(`[data-testid="transfer-blob"][data-digest="${digest}"]`);
  await eventually(async () => assert.equal(await visibleText(blob(small).getByTestId('blob-state')), 'Failed'));
  assert.equal(await blob(small).getByTestId('blob-error').count(), 1, 'the failed blob says why');
  assert.equal(await visibleText(blob(big).getByTestId('blob-state')), 'Stopped');
  assert.equal(await blob(big).getByTestId('blob-error').count(), 0, 'a stopped blob has no error of its own');
  assert.doesNotMatch(await visibleText(failed), /cancelled/i);
  await page.screenshot({ path: screenshotPath('transfer-stopped-blob') });
  assert.deepEqual(
    pageErrors.filter((e) => !/status of 4\d\d/.test(e)),
    [],
  );
});
