import { z } from 'zod';

/** A running container's use of resources, as `stats` shows it (docker's columns). */
export const containerStats = z.object({
  id: z.string(),
  name: z.string(),
  /** Percent of one CPU (docker's convention: 200% is two CPUs busy). */
  cpuPercent: z.number(),
  memoryUsageBytes: z.number(),
  /** The cgroup's limit, or the host's memory when it has none. */
  memoryLimitBytes: z.number(),
  memoryPercent: z.number(),
  netRxBytes: z.number(),
  netTxBytes: z.number(),
  blockReadBytes: z.number(),
  blockWriteBytes: z.number(),
  pids: z.number().int(),
});
export type ContainerStats = z.infer<typeof containerStats>;
