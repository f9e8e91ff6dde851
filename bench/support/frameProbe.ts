import type { Page } from 'playwright-core';

/** What the page saw of its own frames while the probe ran. */
export interface Frames {
  /** The longest gap between two animation frames: the longest the page could not paint. */
  longestMs: number;
  frames: number;
  /** Long animation frames (Chromium's 'long-animation-frame' entries, over 50 ms), if the browser reports them. */
  longAnimationFrames: number;
  /**
   * The most any long animation frame blocked input (its blockingDuration: long tasks' time over
   * 50 ms): near 0 when the long frames held no work of the page's own (a busy machine's gaps).
   */
  mostBlockingMs: number;
}

/** Starts counting frames in the page: a requestAnimationFrame loop, and long-animation-frame entries. */
// Strings, not functions: tsx's transform names inner functions with a helper the page lacks.
export async function startFrameProbe(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const state = { last: 0, longest: 0, frames: 0, loafs: 0, blocking: 0, running: true };
    window.__frames = state;
    const tick = (now) => {
      if (!state.running) return;
      if (state.last > 0) state.longest = Math.max(state.longest, now - state.last);
      state.last = now;
      state.frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    try {
      new PerformanceObserver((list) => {
        if (!state.running) return;
        for (const entry of list.getEntries()) {
          state.loafs++;
          state.blocking = Math.max(state.blocking, entry.blockingDuration || 0);
        }
      }).observe({ type: 'long-animation-frame', buffered: false });
    } catch {
      // not reported by this browser: the frame gaps say it anyway
    }
  })()`);
}

/** Stops the probe once two more frames are painted (the last input's work counts) and says what it saw. */
export async function stopFrameProbe(page: Page): Promise<Frames> {
  return page.evaluate(`new Promise((resolve) => {
    requestAnimationFrame(() => requestAnimationFrame(() => {
      const state = window.__frames;
      state.running = false;
      resolve({ longestMs: state.longest, frames: state.frames, longAnimationFrames: state.loafs, mostBlockingMs: state.blocking });
    }));
  })`);
}
