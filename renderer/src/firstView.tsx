import { QueryClient } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';
import type { FirstViewData } from '../../core/api/firstView';
import { setDrawnAt } from './components/drawnAhead';
import { imageKeys } from './queries/imageQueries';
import { AppRoot } from './shell/AppRoot';

/**
 * The app's first view (Images, over `data.images`) as HTML, drawn by the web server into the page
 * it sends (core/server/firstViewPage.ts), so that its rows are on screen before the page's scripts
 * have loaded; the page then takes it over (app.tsx). The app's own components, drawn once:
 * nothing in them runs here (no effect, no query: the list is all the data). Built for Node, as
 * dist/first-view.cjs.
 */
export function renderFirstView(data: FirstViewData): string {
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY, retry: false } } });
  queryClient.setQueryData(imageKeys.list(), data.images);
  // renderToString draws in one go: no other page's drawing reads this clock in between.
  setDrawnAt(data.drawnAt);
  return renderToString(<AppRoot queryClient={queryClient} />);
}
