import type { ElkNode } from 'elkjs/lib/elk-api';
import { layoutOptions } from './elkOptions';
import type { LayoutReply } from './elkProtocol';

export interface LayoutResult {
  graph: ElkNode;
  /** Time inside ELK itself. */
  elkMs: number;
}

type Pending = { resolve: (r: LayoutResult) => void; reject: (err: Error) => void };

let worker: Worker | undefined;
let workerBroken = false;
let nextId = 1;
const pending = new Map<number, Pending & { graph: ElkNode }>();

/** The one layout worker, started on first use (or by warmUpLayout, while data is still on its way). */
function layoutWorker(): Worker | undefined {
  if (worker || workerBroken) return worker;
  try {
    worker = new Worker(new URL('./elkWorker.ts', import.meta.url), { type: 'module', name: 'elk-layout' });
  } catch {
    workerBroken = true;
    return undefined;
  }
  worker.onmessage = (event: MessageEvent<LayoutReply>) => {
    const reply = event.data;
    const call = pending.get(reply.id);
    if (!call) return;
    pending.delete(reply.id);
    if ('error' in reply) call.reject(new Error(`layout failed: ${reply.error}`));
    else call.resolve({ graph: reply.graph, elkMs: reply.elkMs });
  };
  // A worker that cannot load (a file:// page that may not start one, say): lay out on the page instead.
  worker.onerror = (event) => {
    event.preventDefault();
    workerBroken = true;
    worker?.terminate();
    worker = undefined;
    const waiting = [...pending.values()];
    pending.clear();
    for (const call of waiting) layoutOnPage(call.graph).then(call.resolve, call.reject);
  };
  return worker;
}

let pageElk: Promise<{ layout(graph: ElkNode): Promise<ElkNode> }> | undefined;

async function layoutOnPage(graph: ElkNode): Promise<LayoutResult> {
  pageElk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK());
  const elk = await pageElk;
  const started = performance.now();
  const laidOut = await elk.layout(graph);
  return { graph: laidOut, elkMs: performance.now() - started };
}

let warmedUp = false;

/**
 * Starts the worker before there is anything to lay out, and has it lay out a small graph with
 * the big-graph options: ELK is Java compiled to JavaScript, and its first run is several times
 * slower than the next while the engine compiles it. Meanwhile the store's DAG is on its way.
 */
export function warmUpLayout(): void {
  const w = layoutWorker();
  if (!w || warmedUp) return;
  warmedUp = true;
  const children = Array.from({ length: 24 }, (_, i) => ({ id: `n${i}`, width: 200, height: 90 }));
  const edges = children.slice(3).map((c, i) => ({ id: `e${i}`, sources: [c.id], targets: [`n${i % 3}`] }));
  void runElk({ id: 'warm-up', layoutOptions: layoutOptions('RIGHT', true), children, edges }).catch(() => undefined);
}

/** Runs ELK on a graph: in the worker when there is one, else on the page. */
export function runElk(graph: ElkNode): Promise<LayoutResult> {
  const w = layoutWorker();
  if (!w) return layoutOnPage(graph);
  const id = nextId++;
  return new Promise<LayoutResult>((resolve, reject) => {
    pending.set(id, { resolve, reject, graph });
    w.postMessage({ id, graph });
  });
}
