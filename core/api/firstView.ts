import type { ImageSummary } from './images.schema.js';

/**
 * What the web server puts in the app's page beside the first view it drew there
 * (core/server/firstViewPage.ts): the data the view was drawn from, so that the app, once loaded,
 * takes that view over as it is (React's hydration) instead of asking for the list and drawing it
 * again. JSON in `<script type="application/json" id={FIRST_VIEW_DATA_ID}>`, which runs nothing.
 */
export interface FirstViewData {
  images: ImageSummary[];
  /** When it was drawn (ms since the epoch): the "3 minutes ago" of its rows is counted from here. */
  drawnAt: number;
}

export const FIRST_VIEW_DATA_ID = 'first-view-data';

/** `data` as the text of a script element: no `<` in it, so no `</script>` or `<!--` can end or change it. */
export function firstViewDataScript(data: FirstViewData): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<script type="application/json" id="${FIRST_VIEW_DATA_ID}">${json}</script>`;
}
