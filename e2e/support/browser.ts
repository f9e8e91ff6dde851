import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { projectRoot } from '../../testkit/cli';

/** Debian's Chromium, quiet: no sandbox (containers), no GPU, nothing phoning home. The caller closes it. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
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
  });
  return browser;
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
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  await page.goto(url);
  return { page, context, pageErrors };
}

const outputDir = join(projectRoot, 'e2e', 'output');

/** Where screenshots go: e2e/output/NAME.png (gitignored), for a person to look at. */
export function screenshotPath(name: string): string {
  mkdirSync(outputDir, { recursive: true });
  return join(outputDir, `${name}.png`);
}
