import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayoutReply, LayoutRequest } from './elkProtocol';

/*
 * ELK in a worker, so laying out a big store never freezes the window. elk.bundled.js runs its
 * own in-thread "fake worker" here; once constructed it has claimed `onmessage` for itself, so
 * ours is set after it.
 */
const elk = new ELK();
/** The slice of DedicatedWorkerGlobalScope used here (the project compiles against the DOM library). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutReply): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { id, graph } = event.data;
  const started = performance.now();
  elk.layout(graph).then(
    (laidOut) => scope.postMessage({ id, graph: laidOut, elkMs: performance.now() - started } satisfies LayoutReply),
    (err: unknown) => scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies LayoutReply),
  );
};
