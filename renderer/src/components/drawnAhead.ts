import { useSyncExternalStore } from 'react';

/**
 * The app drawn ahead: by the web server, into the page it sends (firstView.tsx), and then by the
 * page itself taking that drawing over (hydration), which must draw exactly what the server drew.
 * React reads a store's server snapshot in both, and the live one after: these hooks give the
 * drawn-ahead values there and the live ones once the app runs.
 */

const neverChanges = () => () => {};

/** True while the app is drawn ahead (on the server, and while the page takes it over); false once it is live. */
export function useDrawnAhead(): boolean {
  return useSyncExternalStore(
    neverChanges,
    () => false,
    () => true,
  );
}

/**
 * The height a list drawn ahead fills with rows, the window's being unknown on the server: a
 * 1080-pixel screen's, which with the list's overscan below draws ~1,500 px of rows. Once live,
 * the list measures its box. Against 1,600 (npm run bench -- app-first-row, three alternated runs
 * of 9 fresh opens): first row 239–248 → 211–225 ms, the app live 809–866 → 780–821 ms.
 */
const DRAWN_AHEAD_HEIGHT = 1080;

/** The window's height, as a list takes it before measuring its own box (DRAWN_AHEAD_HEIGHT drawn ahead). */
export function useWindowHeight(): number {
  return useSyncExternalStore(
    neverChanges,
    () => window.innerHeight,
    () => DRAWN_AHEAD_HEIGHT,
  );
}

let drawnAt: number | undefined;

/** The time the drawing ahead was made at: set by the server as it draws, and by the page from the page's data. */
export function setDrawnAt(time: number): void {
  drawnAt = time;
}

/** The clock drawn ahead: when the drawing was made, so that "3 minutes ago" reads the same on both sides. */
export function drawnAtOrNow(): number {
  return drawnAt ?? Date.now();
}

/**
 * The time a render counts "3 minutes ago" from where the text does not tick (a row of a long
 * list): the drawing's when drawn ahead, so the page takes the server's text over as it is, and the
 * time of each render once live.
 */
export function useTimeOfDrawing(): number {
  return useDrawnAhead() ? drawnAtOrNow() : Date.now();
}
