import type { BrowserContext, Page } from 'playwright-core';

/** What to time: from a click on `after` (or from navigation start) to the first `until` painted. */
export interface PaintProbe {
  /** A CSS selector: an element matching it (or inside it) clicked restarts the clock at the click's time stamp. */
  after: string;
  /**
   * A CSS selector: the clock stops at the frame after the first element matching it is shown (in
   * the DOM, under no `hidden` attribute); a second clock, when the first is shown outside the
   * server's first view.
   */
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
    window.__paint = { since: 0, painted: null, live: null };
    // Each clock's frame asked for and not yet come.
    const waiting = { painted: false, live: false };
    // Shown, not merely there: a view kept mounted while hidden (a hidden attribute on it or
    // above) has its rows in the DOM already. Read from the DOM alone: asking for layout here
    // would lay the page out before its own frame does.
    // Live: the app's own, not the first view the server drew into the page (inert until replaced).
    const shown = (live) => {
      for (const el of document.querySelectorAll(until)) {
        if (!el.closest('[hidden]') && !(live && el.closest('[data-first-view]'))) return true;
      }
      return false;
    };
    const look = () => {
      const clock = window.__paint;
      for (const which of ['painted', 'live']) {
        if (waiting[which] || clock[which] !== null || !shown(which === 'live')) continue;
        waiting[which] = true;
        requestAnimationFrame(() => {
          clock[which] = performance.now();
          waiting[which] = false;
        });
      }
    };
    new MutationObserver(look).observe(document, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['hidden'],
    });
    document.addEventListener('click', (e) => {
      if (e.target instanceof Element && e.target.closest(after)) {
        window.__paint = { since: e.timeStamp, painted: null, live: null };
        waiting.painted = false;
        waiting.live = false;
        look();
      }
    }, true);
  })();`);
}

/**
 * Milliseconds from the probe's start to the first `until` painted, once it has been: in the first
 * view the server drew into the page (firstViewPage.ts) when there is one, else the app's own.
 */
export function paintedMs(page: Page): Promise<number> {
  return clockReading(page, 'painted');
}

/** Milliseconds from the probe's start to the first `until` painted by the app itself (live: it answers clicks). */
export function livePaintedMs(page: Page): Promise<number> {
  return clockReading(page, 'live');
}

async function clockReading(page: Page, reading: 'painted' | 'live'): Promise<number> {
  const handle = await page.waitForFunction(
    // No inner functions here either (see above); a string predicate would be refused by the app's CSP.
    (which) => {
      const clock = (window as unknown as { __paint?: { since: number; painted: number | null; live: number | null } }).__paint;
      const at = clock?.[which];
      return clock && at != null ? at - clock.since : null;
    },
    reading,
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}
