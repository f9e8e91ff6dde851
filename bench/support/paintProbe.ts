import type { BrowserContext, Page } from 'playwright-core';

/** What to time: from a click on `after` (or from navigation start) to the first `until` painted. */
export interface PaintProbe {
  /** A CSS selector: an element matching it (or inside it) clicked restarts the clock at the click's time stamp. */
  after: string;
  /** A CSS selector: the clock stops at the frame after the first element matching it is shown (in the DOM, under no `hidden` attribute). */
  until: string;
}

/**
 * Installed in every page of the context before the app's own code, so it measures on the page's
 * own clock and not playwright's polling: navigation start (or a click on `after`) to the frame
 * painted after the first `until` was shown (the next requestAnimationFrame).
 */
export async function installPaintProbe(context: BrowserContext, probe: PaintProbe): Promise<void> {
  // A string, not a function: tsx's transform names inner functions with a helper the page lacks.
  await context.addInitScript(`(() => {
    const after = ${JSON.stringify(probe.after)};
    const until = ${JSON.stringify(probe.until)};
    window.__paint = { since: 0, painted: null };
    let waiting = false;
    // Shown, not merely there: a view kept mounted while hidden (a hidden attribute on it or
    // above) has its rows in the DOM already. Read from the DOM alone: asking for layout here
    // would lay the page out before its own frame does.
    const shown = () => {
      for (const el of document.querySelectorAll(until)) if (!el.closest('[hidden]')) return true;
      return false;
    };
    const look = () => {
      if (waiting || window.__paint.painted !== null || !shown()) return;
      waiting = true;
      const clock = window.__paint;
      requestAnimationFrame(() => {
        clock.painted = performance.now();
        waiting = false;
      });
    };
    new MutationObserver(look).observe(document, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['hidden'],
    });
    document.addEventListener('click', (e) => {
      if (e.target instanceof Element && e.target.closest(after)) {
        window.__paint = { since: e.timeStamp, painted: null };
        waiting = false;
        look();
      }
    }, true);
  })();`);
}

/** Milliseconds from the probe's start to the first `until` painted, once it has been. */
export async function paintedMs(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    // No inner functions here either (see above); a string predicate would be refused by the app's CSP.
    () => {
      const clock = (window as unknown as { __paint?: { since: number; painted: number | null } }).__paint;
      return clock?.painted != null ? clock.painted - clock.since : null;
    },
    undefined,
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}
