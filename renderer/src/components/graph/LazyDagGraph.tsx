import { Component, type ComponentProps, lazy, type ReactNode, Suspense } from 'react';
import type { DagGraph as DagGraphType } from './DagGraph';

// React Flow is loaded with the first graph, not with the app: most sessions never open one.
const DagGraph = lazy(() => import('./DagGraph').then((m) => ({ default: m.DagGraph })));

/**
 * A chunk that fails to load (the app was rebuilt under an open window, say), or a graph that
 * fails to draw, takes the graph down, not the whole window.
 */
class GraphLoadBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="placeholder dag-graph" data-testid="graph-load-failed">
        <p>The graph could not be shown.</p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}

export function LazyDagGraph(props: ComponentProps<typeof DagGraphType>) {
  return (
    <GraphLoadBoundary>
      <Suspense fallback={<p className="placeholder dag-graph">Loading the graph…</p>}>
        <DagGraph {...props} />
      </Suspense>
    </GraphLoadBoundary>
  );
}
