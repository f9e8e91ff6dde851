import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { projectRoot } from '../../testkit/cli';
import { whoHasPort } from '../../testkit/portOwner';

/** This process's children whose command is chromium (/proc/PID/stat: comm, then ppid). */
function chromiumChildren(): Set<number> {
  const found = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && comm.startsWith('chromium')) found.add(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

/** Browsers launched by this file and not closed yet, or still starting. */
const unclosed = new Set<Promise<Browser>>();
// A browser launched beside a `before` that then failed never reaches the file's own `after`, and
// its pipes would keep the file's process, and the suite, waiting: closed when the file's tests end.
after(async () => {
  for (const launching of unclosed) await (await launching.catch(() => undefined))?.close();
});

/** How long a closing Chromium may take before it is killed. */
const CLOSE_GRACE_MS = 20_000;

/**
 * Debian's Chromium, quiet: no sandbox (containers), no GPU, nothing phoning home. The caller
 * closes it. Its close is bounded: Chromium was seen never exiting after a close under load (a
 * whole CI run hung in an `after` hook), so a close that outlasts the grace period kills it.
 */
export function launchBrowser(): Promise<Browser> {
  const launching = launchBounded();
  unclosed.add(launching);
  void launching.then(
    (browser) => browser.on('disconnected', () => unclosed.delete(launching)),
    () => unclosed.delete(launching),
  );
  return launching;
}

const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-quic',
    '--no-first-run',
    '--disable-sync',
  ],
};

async function launchBounded(): Promise<Browser> {
  const before = chromiumChildren();
  const browser = await chromium.launch(CHROMIUM);
  const pids = [...chromiumChildren()].filter((pid) => !before.has(pid));
  const close = browser.close.bind(browser);
  browser.close = async (options) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        console.log(`# Chromium did not close within ${CLOSE_GRACE_MS / 1000} s: killed (pid ${pids.join(', ')})`);
        for (const pid of pids) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }
        resolve();
      }, CLOSE_GRACE_MS);
    });
    await Promise.race([close(options), killed]);
    clearTimeout(timer);
  };
  return browser;
}

/**
 * The same Chromium with a profile kept in `userDataDir`, as a person's own browser has one: its
 * HTTP cache and V8's code cache of the pages' scripts last from one page to the next. The caller
 * closes it.
 */
export function launchWithProfile(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { ...CHROMIUM, viewport: { width: 1360, height: 900 } });
}

export interface PageOptions {
  colorScheme?: 'light' | 'dark';
  /** Lets the page use the async clipboard API, to check what a copy button copied. */
  clipboard?: boolean;
}

/**
 * A fresh window (its own cookies and storage) on the app. Errors the page logs fail nothing
 * by themselves but are collected, so a test can say none happened.
 */
export async function openApp(
  browser: Browser,
  url: string,
  options: PageOptions = {},
): Promise<{ page: Page; context: BrowserContext; pageErrors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  // Something the page's own policy refused (an eval, a foreign script) is an error too: the
  // browser reports it as an event, not a console message, so the page is made to log it.
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
    console.error('the page broke its policy: ' + e.violatedDirective + ' at ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber));`);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  await page.goto(url).catch((err: Error) => {
    throw new Error(`${err.message}\n${whoHasPort(Number(new URL(url).port))}`);
  });
  await appShown(page, url, pageErrors);
  return { page, context, pageErrors };
}

/** How long the page may take to draw the app once it has loaded. */
const SHOWN_WITHIN_MS = 30_000;

/**
 * Waits until the page's entry has drawn something (the app, or why it could not load), itself: the
 * first view the server drew into the page (firstViewPage.ts) is only a picture of the app until the
 * app replaces it, and a click on it would be lost. When the page draws nothing, the test fails with
 * what the page and the server were doing, not with a bare locator timeout on the first click.
 */
async function appShown(page: Page, url: string, pageErrors: string[]): Promise<void> {
  const drawn = () => {
    const root = document.getElementById('root');
    return root?.querySelector('[data-first-view]') ? '' : (root?.textContent ?? '');
  };
  let shown: string;
  try {
    shown = await (await page.waitForFunction(drawn, undefined, { timeout: SHOWN_WITHIN_MS })).jsonValue();
  } catch (err) {
    const fetched = await page
      .evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map(
            (e) =>
              `${e.name.replace(location.origin, '')} ${Math.round(e.startTime)}–${Math.round((e as PerformanceResourceTiming).responseEnd)} ms`,
          ),
      )
      .catch((why: Error) => [`(the page could not be asked: ${why.message})`]);
    const server = await serverAnswer(url);
    throw new Error(
      [
        `the app drew nothing within ${SHOWN_WITHIN_MS / 1000} s of the page's load (${(err as Error).message.split('\n')[0]})`,
        `page errors: ${pageErrors.length > 0 ? pageErrors.join(' | ') : 'none'}`,
        `resources the page fetched: ${fetched.join(', ') || 'none'}`,
        `the server, asked again now: ${server}`,
      ].join('\n'),
    );
  }
  // The entry's words when the app's chunk failed to load (main.tsx), or the app's error boundary's.
  if (shown.startsWith('The app could not')) {
    throw new Error(
      `${shown}\npage errors: ${pageErrors.join(' | ') || 'none'}\nthe server, asked again now: ${await serverAnswer(url)}`,
    );
  }
}

/** How the server answers a plain GET of the page now, and how fast: tells a stuck engine. */
async function serverAnswer(url: string): Promise<string> {
  const started = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return `HTTP ${response.status} in ${Math.round(performance.now() - started)} ms`;
  } catch (err) {
    return `no answer after ${Math.round(performance.now() - started)} ms (${(err as Error).message})`;
  }
}

const outputDir = join(projectRoot, 'e2e', 'output');

/** Where screenshots go: e2e/output/NAME.png (gitignored), for a person to look at. */
export function screenshotPath(name: string): string {
  mkdirSync(outputDir, { recursive: true });
  return join(outputDir, `${name}.png`);
}
