import { z } from 'zod';
import { buildOutputEvent, buildProgress, buildSummary } from './builds.schema.js';
import { containersChanged, terminalExited, terminalOutput } from './containers.schema.js';

/** The state of one blob in a transfer (load, pull, push, save). */
export const blobState = z.enum(['queued', 'exists', 'mounted', 'transferring', 'verifying', 'done', 'failed']);
export type BlobState = z.infer<typeof blobState>;

export const transferProgress = z.object({
  /** One transfer (a load, a pull, …); its blobs report under this id. */
  transferId: z.string(),
  operation: z.enum(['load', 'save', 'pull', 'push']),
  /** What is being transferred, for people: a path or a reference. */
  subject: z.string(),
  digest: z.string(),
  kind: z.enum(['index', 'manifest', 'config', 'layer', 'blob']),
  state: blobState,
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  error: z.string().optional(),
  /** On a failed blob: it did not fail itself, the transfer stopped it because another blob failed. */
  stopped: z.boolean().optional(),
  /**
   * The index or manifest that lists this blob (absent for the top one): the DAG's edge, so that a
   * face can draw an image while it arrives, before index.json names it.
   */
  parent: z.string().optional(),
  /** On a mounted blob: the repository of the same registry it was mounted from. */
  mountedFrom: z.string().optional(),
});
export type TransferProgress = z.infer<typeof transferProgress>;

/** A transfer as a whole: running, or how it ended (event `transfer.ended`, and `transfers.list`). */
export const transferStatus = z.object({
  transferId: z.string(),
  operation: transferProgress.shape.operation,
  subject: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** The resulting digest (pulled or pushed manifest), once done. */
  digest: z.string().nullable(),
});
export type TransferStatus = z.infer<typeof transferStatus>;

export const imagesChanged = z.object({ reason: z.string() });

/** Topics a face can subscribe to, with the payload each carries. */
export const eventSchemas = {
  'transfer.progress': transferProgress,
  'transfer.ended': transferStatus,
  'images.changed': imagesChanged,
  'containers.changed': containersChanged,
  'terminal.output': terminalOutput,
  'terminal.exited': terminalExited,
  'build.progress': buildProgress,
  'build.output': buildOutputEvent,
  'build.ended': buildSummary,
} as const;
export type EventTopic = keyof typeof eventSchemas;
export type EventPayload<T extends EventTopic> = z.infer<(typeof eventSchemas)[T]>;
