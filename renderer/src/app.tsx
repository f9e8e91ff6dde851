import { notifyManager, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ErrorBoundary } from './components/ErrorBoundary';
import { prefetchImageList } from './queries/imageQueries';
import { createQueryClient } from './queries/queryClient';
import { AccessNeeded } from './shell/AccessNeeded';
import { AppShell } from './shell/AppShell';
import { applyTheme } from './shell/themeAttribute';
import { useUiStore } from './state/uiStore';

/** How long the first render waits for the image list the entry asked for, at most. */
const FIRST_LIST_WAIT_MS = 300;

/**
 * The app itself, loaded by the page's entry (main.tsx) once it has opened the connection to the
 * engine. `hasToken`: the window can reach the engine (see accessTokenMissing).
 */
export async function renderApp(container: HTMLElement, hasToken: boolean): Promise<void> {
  // Before the first render, so a saved theme override never flashes the other theme.
  applyTheme(useUiStore.getState().theme);
  // An answer reaches the views in the task that brought it, not in a timer after it: React Query
  // schedules its notifications with setTimeout(0) by default, which a busy page runs a frame or
  // more later (the Layers tab's first tree: 319 → 297 ms, medians of 8 alternated opens).
  notifyManager.setScheduler(queueMicrotask);
  const queryClient = hasToken ? createQueryClient() : undefined;
  // The list the entry asked for (or, in a window without it, a new call) goes into the cache now,
  // and the first render waits for it, briefly: drawn with its rows in one pass, the window is
  // rendered and laid out once, where an empty shell first and the rows after took two of each.
  if (queryClient) {
    await Promise.race([prefetchImageList(queryClient), new Promise<void>((resolve) => setTimeout(resolve, FIRST_LIST_WAIT_MS))]);
  }
  createRoot(container).render(
    <StrictMode>
      {!queryClient ? (
        <AccessNeeded />
      ) : (
        <QueryClientProvider client={queryClient}>
          {/* The shell's own parts (sidebar, top bar) fail in words too, not in a blank window. */}
          <ErrorBoundary what="app">
            <AppShell />
          </ErrorBoundary>
        </QueryClientProvider>
      )}
    </StrictMode>,
  );
}
