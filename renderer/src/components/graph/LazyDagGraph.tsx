import { type ComponentProps, lazy, Suspense } from 'react';
import { ErrorBoundary } from '../ErrorBoundary';
import type { DagGraph as DagGraphType } from './DagGraph';

// React Flow is loaded with the first graph, not with the app: most sessions never open one.
const DagGraph = lazy(() => import('./DagGraph').then((m) => ({ default: m.DagGraph })));

export function LazyDagGraph(props: ComponentProps<typeof DagGraphType>) {
  return (
    <ErrorBoundary what="graph" className="dag-graph" testId="graph-load-failed">
      <Suspense fallback={<p className="placeholder dag-graph">Loading the graph…</p>}>
        <DagGraph {...props} />
      </Suspense>
    </ErrorBoundary>
  );
}
