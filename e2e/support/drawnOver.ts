import type { Locator } from 'playwright-core';

/**
 * What a click at the centre of the element would reach instead of it: null when the element (or
 * something inside it) is on top there, else that other element and where both are drawn, so a
 * test that cannot click says what covered the target rather than only that something did.
 */
export function drawnOver(target: Locator): Promise<string | null> {
  return target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    if (hit && (hit === el || el.contains(hit))) return null;
    const where = (e: Element) => {
      const r = e.getBoundingClientRect();
      return `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`;
    };
    const name = (e: Element) =>
      `<${e.tagName.toLowerCase()}${e.className ? ` class="${e.className}"` : ''}${e.closest('[data-key]') ? ` in row ${e.closest('[data-key]')?.getAttribute('data-key')}` : ''}>`;
    // The boxes above the target that are scrolled: one scrolled by a focus or a scrollIntoView is
    // the likeliest way for another element to come over it.
    const scrolled: string[] = [];
    for (let e: Element | null = el; e; e = e.parentElement) {
      if (e.scrollLeft !== 0 || e.scrollTop !== 0) scrolled.push(`${name(e)} at ${e.scrollLeft},${e.scrollTop}`);
    }
    return [
      `${name(el)} at ${where(el)} is covered by ${hit ? `${name(hit)} at ${where(hit)}` : 'nothing (off the page)'}`,
      `window ${window.innerWidth}×${window.innerHeight}; scrolled above it: ${scrolled.join(', ') || 'none'}`,
    ].join('; ');
  });
}
