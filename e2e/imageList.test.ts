import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ImageSummary } from '../core/api/images.schema';
import { makeLayer } from '../testkit/layers';
import type { TestImage } from '../testkit/ociLayout';
import { tempDir } from '../testkit/tempDir';
import { connectBridge, invokeOverBridge } from './support/bridgeSocket';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { eventually } from './support/eventually';
import { cliJson, loadImages } from './support/images';
import { visibleText } from './support/visibleText';
import { startWebApp, type WebApp } from './support/webApp';

let browser: Browser;
let app: WebApp;
let listed: ImageSummary[];

/** Three images in two repositories of one namespace and one of another, each its own config. */
async function threeImages(): Promise<TestImage[]> {
  const layer = await makeLayer([{ path: 'hello.txt', content: 'hello\n' }]);
  return ['alpha/api:1.0', 'alpha/worker:2.1', 'beta/db:latest'].map((refName) => ({
    refName,
    layers: [layer],
    config: { Cmd: ['/hello'], Labels: { name: refName } },
  }));
}

// Made at the top level: tempDir's cleanup hook then belongs to the file, not to a hook.
const root = tempDir();
const work = tempDir();

before(async () => {
  await loadImages(root, work, await threeImages());
  listed = cliJson<ImageSummary[]>(root, ['images']);
  assert.equal(listed.length, 3);
  [browser, app] = await Promise.all([launchBrowser(), startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

const visibleRepos = (page: Page) => page.getByTestId('row-repository').allInnerTexts();
const short = (digest: string) => digest.slice('sha256:'.length, 'sha256:'.length + 12);

test('the search box filters the list by repository, tag and image ID', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  const search = page.getByRole('searchbox', { name: 'Search images' });
  await eventually(async () => assert.equal((await visibleRepos(page)).length, 3));

  await search.fill('alpha');
  await eventually(async () => assert.deepEqual((await visibleRepos(page)).sort(), ['alpha/api', 'alpha/worker']));
  assert.equal(await visibleText(page.getByTestId('images-summary')), '2 of 3 images');
  await page.screenshot({ path: screenshotPath('image-search') });

  await search.fill('2.1');
  await eventually(async () => assert.deepEqual(await visibleRepos(page), ['alpha/worker']));

  const beta = listed.find((i) => i.repository === 'beta/db');
  assert.ok(beta);
  await search.fill(short(beta.id).toUpperCase());
  await eventually(async () => assert.deepEqual(await visibleRepos(page), ['beta/db']));

  await search.fill('no-such-image');
  await page.getByTestId('images-no-match').waitFor();
  assert.equal(await page.getByTestId('image-row').count(), 0);
  await page.getByTestId('images-no-match').getByRole('button', { name: 'Clear search' }).click();
  await eventually(async () => assert.equal((await visibleRepos(page)).length, 3));
  assert.equal(await search.inputValue(), '');
  assert.deepEqual(pageErrors, []);
});

test('arrow keys move the selection through the list, and Escape closes the detail', async (t) => {
  const { page, context } = await openApp(browser, app.url);
  t.after(() => context.close());
  const listbox = page.getByRole('listbox', { name: 'Images' });
  await eventually(async () => assert.equal((await visibleRepos(page)).length, 3));
  const order = await page.getByTestId('image-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
  const selectedKey = () => page.locator('[data-testid="image-row"][aria-selected="true"]').getAttribute('data-key');
  const title = () => visibleText(page.getByTestId('detail-title'));

  await listbox.focus();
  await page.keyboard.press('ArrowDown');
  await eventually(async () => assert.equal(await selectedKey(), order[0]));
  await page.keyboard.press('ArrowDown');
  await eventually(async () => assert.equal(await selectedKey(), order[1]));
  // The detail follows the selection.
  await eventually(async () => assert.ok(order[1]?.endsWith(await title())));
  await page.keyboard.press('End');
  await eventually(async () => assert.equal(await selectedKey(), order[2]));
  await page.keyboard.press('ArrowUp');
  await eventually(async () => assert.equal(await selectedKey(), order[1]));
  assert.equal(await listbox.getAttribute('aria-activedescendant'), 'image-option-1');

  await page.keyboard.press('Escape');
  await eventually(async () => assert.equal(await page.getByTestId('image-detail').count(), 0));
  assert.equal(await page.locator('[aria-selected="true"]').count(), 0);
});

// Last in the file: it adds a name, and so a row, to the store the tests above share.
test('a change made through the engine shows up without a reload', async (t) => {
  const { page, context } = await openApp(browser, app.url);
  t.after(() => context.close());
  await eventually(async () => assert.equal((await visibleRepos(page)).length, 3));

  // Another client of the same engine (a second window, say) tags an image.
  const { socket } = await connectBridge(app, `?token=${app.token}`, app.origin);
  assert.ok(socket);
  t.after(() => socket.close());
  const tagged = await invokeOverBridge(socket, 'images.tag', { source: 'beta/db:latest', target: 'gamma/db:stable' });
  assert.ok(tagged.ok, JSON.stringify(tagged));

  // The engine's images.changed event makes the page refetch the list.
  await eventually(async () => assert.ok((await visibleRepos(page)).includes('gamma/db')));
  assert.equal(await visibleText(page.getByTestId('images-summary')), '4 images');
});
