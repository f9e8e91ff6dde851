import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { eventually } from './eventually';

/** The rows of a container's Terminal (`detail`: the container's detail) as they read, trailing spaces left out. */
export async function screenLines(detail: Locator): Promise<string[]> {
  return (await detail.locator('.xterm-rows > div').allInnerTexts()).map((r) => r.trimEnd());
}

/**
 * Types a command line into the Terminal once its shell waits at a prompt (the last line written
 * ends with `#` or `$`), then Enter. BusyBox's ash asks the terminal where its cursor is as it
 * prints a prompt, and xterm answers as it reads the question: keys typed before the answer get
 * to the shell first, and the answer then reads as typed too (`^[[6;9Recho …`).
 */
export async function typeAtPrompt(page: Page, detail: Locator, line: string, timeoutMs?: number): Promise<void> {
  await eventually(async () => {
    const written = (await screenLines(detail)).filter((l) => l !== '');
    assert.match(written.at(-1) ?? '', /[#$]$/, `a prompt:\n${written.join('\n')}`);
  }, timeoutMs);
  await detail.getByTestId('terminal').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}
