import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { stevedore } from '../testkit/cli';
import { tempDir } from '../testkit/tempDir';
import { launchBrowser, openApp, screenshotPath } from './support/browser';
import { drawnOver } from './support/drawnOver';
import { eventually } from './support/eventually';
import { demoImage, loadImages } from './support/images';
import { startWebApp, type WebApp } from './support/webApp';

// Issue 18, bugs 2, 3 and 6: the shell never scrolls, Compare's pickers fit their column, and a
// long name is cut in its middle, keeping the repository's last part.

// Made at the top level: tempDir's cleanup hook then belongs to the file, not to a hook.
const root = tempDir();
const work = tempDir();
let browser: Browser;
let app: WebApp;

/** Five names that share a long registry and path, so only their ends tell them apart. */
const longNames = ['alpha', 'bravo', 'charlie', 'delta', 'echo'].map(
  (last) => `127.0.0.1:5612/platform-team/internal/services/${last}-service:2024.06.1`,
);
const longest = `registry.example.com:5000/${'very-long-organisation-name/'.repeat(6)}image-with-a-very-long-name:tag`;

before(async () => {
  const browserReady = launchBrowser();
  await loadImages(root, work, [await demoImage('demo/web:1.0')]);
  for (const name of [...longNames, longest]) {
    const r = stevedore(root, ['tag', 'demo/web:1.0', name]);
    assert.equal(r.code, 0, r.stderr);
  }
  [browser, app] = await Promise.all([browserReady, startWebApp(root)]);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** How far the document itself is scrolled, and how much wider or taller than the window it is. */
function documentOverflow(page: Page) {
  return page.evaluate(() => {
    const doc = document.scrollingElement ?? document.documentElement;
    return {
      scrollTop: doc.scrollTop,
      scrollLeft: doc.scrollLeft,
      extraHeight: doc.scrollHeight - doc.clientHeight,
      extraWidth: doc.scrollWidth - doc.clientWidth,
    };
  });
}

const still = { scrollTop: 0, scrollLeft: 0, extraHeight: 0, extraWidth: 0 };

test('bug 2: with an image detail open, wheel over the sidebar and Tab through the panel leave the shell where it is', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.locator('[data-key="docker.io/demo/web:1.0"]').click();
  const detail = page.getByTestId('image-detail');
  await detail.getByTestId('config-env').waitFor();
  await detail.getByTestId('config-labels').waitFor();

  assert.deepEqual(await documentOverflow(page), still, 'nothing sticks out of the window');
  await page.getByTestId('nav-images').hover();
  await page.mouse.wheel(0, 600);
  // Tab into the panel and through everything it holds (the config table's hidden header included).
  await detail.getByRole('button', { name: 'Close details' }).focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('Tab');
  // Scroll the panel to its end, as find-in-page brings its last text into view.
  await detail.getByTestId('config-labels').scrollIntoViewIfNeeded();
  await page.getByTestId('nav-images').hover();
  await page.mouse.wheel(0, 600);
  await eventually(async () => assert.deepEqual(await documentOverflow(page), still));
  assert.deepEqual(await page.evaluate(() => [window.scrollX, window.scrollY]), [0, 0], 'the window never scrolled');
  await page.screenshot({ path: screenshotPath('bug2-shell-still') });
  assert.deepEqual(pageErrors, []);
});

test('bug 3: Compare picks fit their column, however long the names, and the To picker is on screen', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.getByTestId('nav-compare').click();
  const from = page.getByLabel('From');
  const to = page.getByLabel('To');
  await from.selectOption({ label: longest });
  await to.selectOption({ label: longNames[0] ?? '' });

  assert.deepEqual(await documentOverflow(page), still);
  const width = await page.evaluate(() => window.innerWidth);
  for (const picker of [from, to]) {
    const box = await picker.boundingBox();
    assert.ok(box, 'the picker is drawn');
    assert.ok(box.x >= 0 && box.x + box.width <= width, `picker from ${box.x} to ${box.x + box.width} within ${width}`);
  }
  await page.screenshot({ path: screenshotPath('bug3-compare-pickers') });
  assert.deepEqual(pageErrors, []);
});

/**
 * Where the text `part` of an element's text is drawn, against where the element shows its
 * text: a name cut at its end draws its last part beyond the element's right edge.
 */
async function partShown(element: Locator, part: string): Promise<{ shown: boolean; title: string | null }> {
  return element.evaluate((el, wanted) => {
    const box = el.getBoundingClientRect();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let text = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) text += n.textContent;
    const at = text.lastIndexOf(wanted);
    if (at < 0) return { shown: false, title: el.getAttribute('title') };
    // The range over the wanted characters, across text nodes.
    const range = document.createRange();
    let offset = 0;
    const nodes = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = nodes.nextNode(); n; n = nodes.nextNode()) {
      const length = n.textContent?.length ?? 0;
      if (at >= offset && at < offset + length) range.setStart(n, at - offset);
      if (at + wanted.length > offset && at + wanted.length <= offset + length) range.setEnd(n, at + wanted.length - offset);
      offset += length;
    }
    const r = range.getBoundingClientRect();
    return { shown: r.width > 0 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5, title: el.getAttribute('title') };
  }, part);
}

test("bug 6: beside an open detail, long names keep their repository's last part, with the full name on hover", async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.setViewportSize({ width: 1360, height: 900 });
  const first = longNames[0] ?? '';
  await page.locator(`[data-key="${first}"]`).click();
  // The Layers tab narrows the list to its names. Nothing of the list is drawn over it.
  const layers = page.getByTestId('image-detail').getByRole('tab', { name: 'Layers' });
  await eventually(async () => assert.equal(await drawnOver(layers), null));
  await layers.click();

  for (const name of longNames) {
    const repository = name.slice(0, name.lastIndexOf(':'));
    const last = repository.slice(repository.lastIndexOf('/') + 1);
    const cell = page.locator(`[data-key="${name}"]`).getByTestId('row-repository');
    const { shown, title } = await partShown(cell, last);
    assert.ok(shown, `${last} is shown in the row of ${name}`);
    assert.equal(title, repository, 'the full repository on hover');
  }
  // The detail's title too: one line, its end kept, the full name on hover; at 1024 px as well.
  await page.setViewportSize({ width: 1024, height: 700 });
  const title = page.getByTestId('image-detail').getByTestId('detail-title');
  await eventually(async () => {
    const shownTitle = await partShown(title.locator('[title]'), 'alpha-service:2024.06.1');
    assert.ok(shownTitle.shown, "the detail's title keeps the last part and the tag");
    assert.equal(shownTitle.title, first);
  });
  const lines = await title.evaluate((el) =>
    Math.round(el.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(el).lineHeight)),
  );
  assert.equal(lines, 1, 'the title stays on one line');
  await page.screenshot({ path: screenshotPath('bug6-names-middle') });
  assert.deepEqual(pageErrors, []);
});

test('beside an open detail, every row keeps its size and actions in view, the list never scrolling sideways', async (t) => {
  const { page, context, pageErrors } = await openApp(browser, app.url);
  t.after(() => context.close());
  await page.locator(`[data-key="${longNames[0]}"]`).click();
  const list = page.getByTestId('images-list').getByRole('listbox');
  // 1360 and 1200 px: the list beside the Overview keeps its columns; 1100: names and Run only.
  for (const width of [1360, 1200, 1100]) {
    await page.setViewportSize({ width, height: 800 });
    await eventually(async () => {
      const outside = await list.evaluate((body) => {
        const bodyRight = body.getBoundingClientRect().right;
        // Cut: past the list's edge, or past the column that holds it where that column hides
        // what overflows it (the actions' column lets its buttons into the row's margin).
        const cut = [...body.querySelectorAll('[data-testid="image-row"]')].flatMap((row) =>
          [...row.querySelectorAll('.image-row__size, button')]
            .filter((e) => {
              if (e.getClientRects().length === 0) return false;
              const column = e.closest('.image-row > *') ?? e;
              const clips = getComputedStyle(column).overflowX !== 'visible';
              const edge = Math.min(bodyRight, (clips ? column : row).getBoundingClientRect().right) + 0.5;
              return e.getBoundingClientRect().right > edge;
            })
            .map((e) => `${e.getAttribute('aria-label') ?? e.textContent} of ${row.getAttribute('data-key')}`),
        );
        const sideways = body.scrollWidth - body.getBoundingClientRect().width > 1;
        return { cut, sideways };
      });
      assert.deepEqual(outside, { cut: [], sideways: false }, `at ${width} px`);
    });
  }
  assert.deepEqual(pageErrors, []);
});
