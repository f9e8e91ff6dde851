import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useDrawnAhead } from '../components/drawnAhead';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { AppShell } from './AppShell';

/**
 * The app over its engine data, as the page draws it and as the web server draws it ahead into the
 * page (firstView.tsx): one tree, so the page can take the server's drawing over as it is. While
 * drawn ahead it is `inert` (no focus, no click: nothing in it runs yet) and marked
 * `data-first-view`; both go once the app is live. Its box is the shell's (`display: contents`).
 */
export function AppRoot({ queryClient }: { queryClient: QueryClient }) {
  const drawnAhead = useDrawnAhead();
  return (
    <div className="app-root" data-first-view={drawnAhead ? '' : undefined} inert={drawnAhead}>
      <QueryClientProvider client={queryClient}>
        {/* The shell's own parts (sidebar, top bar) fail in words too, not in a blank window. */}
        <ErrorBoundary what="app">
          <AppShell />
        </ErrorBoundary>
      </QueryClientProvider>
    </div>
  );
}
