import { notifyManager, type QueryClient } from '@tanstack/react-query';
import { type ReactNode, StrictMode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import type { FirstViewData } from '../../core/api/firstView';
import { setDrawnAt } from './components/drawnAhead';
import { imageKeys, prefetchImageList } from './queries/imageQueries';
import { createQueryClient } from './queries/queryClient';
import { AccessNeeded } from './shell/AccessNeeded';
import { AppRoot } from './shell/AppRoot';

/** How long the first render waits for the image list the entry asked for, at most. */
const FIRST_LIST_WAIT_MS = 300;

/**
 * The app itself, loaded by the page's entry (main.tsx) once it has opened the connection to the
 * engine. `hasToken`: the window can reach the engine (see accessTokenMissing). `firstView`: the
 * view the web server drew into the page, and its data (core/server/firstViewPage.ts).
 */
export async function renderApp(container: HTMLElement, hasToken: boolean, firstView?: FirstViewData): Promise<void> {
  // An answer reaches the views in the task that brought it, not in a timer after it: React Query
  // schedules its notifications with setTimeout(0) by default, which a busy page runs a frame or
  // more later (the Layers tab's first tree: 319 → 297 ms, medians of 8 alternated opens).
  notifyManager.setScheduler(queueMicrotask);
  if (!hasToken) {
    createRoot(container).render(
      <StrictMode>
        <AccessNeeded />
      </StrictMode>,
    );
    return;
  }
  const queryClient = createQueryClient();
  const app = (
    <StrictMode>
      <AppRoot queryClient={queryClient} />
    </StrictMode>
  );
  if (firstView) return takeOver(container, app, queryClient, firstView);
  // The list the entry asked for goes into the cache now, and the first render waits for it,
  // briefly: drawn with its rows in one pass, the window is rendered and laid out once, where an
  // empty shell first and the rows after took two of each.
  await Promise.race([prefetchImageList(queryClient), new Promise<void>((resolve) => setTimeout(resolve, FIRST_LIST_WAIT_MS))]);
  createRoot(container).render(app);
}

/**
 * Takes the server's drawing over (React's hydration): the same tree over the same data, so the
 * rows on screen stay as they are and become live, with nothing drawn or laid out again. The list
 * is asked for again once the page is idle, for a change made since the server read it.
 */
function takeOver(container: HTMLElement, app: ReactNode, queryClient: QueryClient, firstView: FirstViewData): void {
  setDrawnAt(firstView.drawnAt);
  queryClient.setQueryData(imageKeys.list(), firstView.images, { updatedAt: firstView.drawnAt });
  hydrateRoot(container, app);
  requestIdleCallback(() => void queryClient.invalidateQueries({ queryKey: imageKeys.list() }));
}
