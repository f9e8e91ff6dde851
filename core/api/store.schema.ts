import { z } from 'zod';

export const gcReport = z.object({
  dryRun: z.boolean(),
  removed: z.array(z.object({ digest: z.string(), size: z.number() })),
  reclaimedBytes: z.number(),
  kept: z.number(),
  /** Chain IDs of the unpacked snapshots removed (or that would be). */
  snapshots: z.array(z.string()),
});
export type GcReport = z.infer<typeof gcReport>;

export const fsckProblem = z.object({
  digest: z.string(),
  kind: z.enum(['missing', 'corrupt', 'unreadable']),
  detail: z.string(),
  /** Images whose DAG reaches the blob (or that stand on the snapshot). */
  images: z.array(z.string()),
});
export const fsckReport = z.object({
  checked: z.number(),
  problems: z.array(fsckProblem),
  /** With repair: chain IDs of the corrupt snapshots removed (made again from the layers when needed). */
  repaired: z.array(z.string()).optional(),
});
export type FsckReport = z.infer<typeof fsckReport>;

export const engineInfo = z.object({
  version: z.string(),
  root: z.string(),
  platform: z.string(),
  /** What runs containers (native runc, or a machine's agent), and why that one. */
  runtime: z.enum(['native', 'vm', 'rootless']),
  runtimeReason: z.string(),
  /**
   * The process that answered: its pid, the engine socket it serves (null: a command's own engine,
   * which serves none), and for an engine started on demand, how long it stays unused.
   */
  engine: z
    .object({
      pid: z.number().int(),
      socket: z.string().nullable(),
      exitWhenIdleSeconds: z.number().int().nullable(),
    })
    .optional(),
});
export type EngineInfo = z.infer<typeof engineInfo>;

/** `system df`: what the store takes on disk, by kind. */
export const diskUsage = z.object({
  /** Every blob: layers, configs, manifests (images and build cache alike). */
  blobs: z.object({ count: z.number().int(), bytes: z.number() }),
  /** Unpacked layers containers and builds stand on. */
  snapshots: z.object({ count: z.number().int(), bytes: z.number() }),
  /** What containers wrote (their upper directories and logs). */
  containers: z.object({ count: z.number().int(), bytes: z.number() }),
  /** Cache entries, and the blob bytes only the cache keeps (what `builder prune` gives back). */
  buildCache: z.object({ count: z.number().int(), bytes: z.number() }),
  totalBytes: z.number(),
});
export type DiskUsage = z.infer<typeof diskUsage>;
