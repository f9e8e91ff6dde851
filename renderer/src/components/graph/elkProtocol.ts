import type { ElkNode } from 'elkjs/lib/elk-api';

/** What the page sends the layout worker, and what comes back. */
export interface LayoutRequest {
  id: number;
  graph: ElkNode;
}

export type LayoutReply = { id: number; graph: ElkNode; elkMs: number } | { id: number; error: string };
