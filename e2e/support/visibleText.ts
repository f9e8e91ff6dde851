import type { Locator } from 'playwright-core';

/**
 * The text a person sees in an element (CSS applied, table cells separated). Biome reads
 * `.innerText()` as the DOM property and suggests textContent, which would include hidden text.
 */
export function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the rendered text
  return locator.innerText();
}
