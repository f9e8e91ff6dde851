import { z } from 'zod';

/** A Stevedore machine as the app's indicator and Settings show it (`stevedore machine status`). */
export const machineSummary = z.object({
  name: z.string(),
  state: z.enum(['stopped', 'starting', 'running']),
  accelerator: z.string().optional(),
  acceleratorReason: z.string().optional(),
  uptimeSeconds: z.number().optional(),
  bootSeconds: z.number().optional(),
  cpuSeconds: z.number().optional(),
  rssBytes: z.number().optional(),
  cpus: z.number().int(),
  memoryMiB: z.number().int(),
  diskGiB: z.number().int(),
  diskBytesUsed: z.number(),
  image: z.string(),
  /** Whether the host's files are shared into it (bind mounts), or why not. */
  share: z.object({ mounted: z.boolean(), why: z.string().optional() }).optional(),
  /** The last lines of its console, newest last. */
  console: z.array(z.string()),
});
export type MachineSummary = z.infer<typeof machineSummary>;

/** What runs this engine's containers, why that, and its machine when it has one. */
export const runtimeStatus = z.object({
  kind: z.enum(['native', 'vm', 'rootless']),
  reason: z.string(),
  machine: machineSummary.nullable(),
  /** Why there is no machine where one is needed (`stevedore machine init`). */
  machineMissing: z.string().optional(),
});
export type RuntimeStatus = z.infer<typeof runtimeStatus>;
