import { z } from 'zod';

export const dagNodeKind = z.enum(['index', 'manifest', 'config', 'layer']);

export const dagNode = z.object({
  digest: z.string(),
  kind: dagNodeKind,
  mediaType: z.string(),
  size: z.number(),
  /** Whether the blob is in the store (an index may list platforms that were never fetched). */
  present: z.boolean(),
  platform: z.string().optional(),
  /** Images (by name, or short ID when untagged) whose DAG holds this node. */
  usedBy: z.array(z.string()),
});
export type DagNode = z.infer<typeof dagNode>;

export const dagEdge = z.object({ from: z.string(), to: z.string() });
export type DagEdge = z.infer<typeof dagEdge>;

export const dag = z.object({ roots: z.array(z.string()), nodes: z.array(dagNode), edges: z.array(dagEdge) });
export type Dag = z.infer<typeof dag>;
