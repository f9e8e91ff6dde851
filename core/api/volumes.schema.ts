import { z } from 'zod';

/** One volume as `volume ls` and `volume inspect` show it (docker's fields, less drivers of other kinds). */
export const volumeSummary = z.object({
  name: z.string(),
  /** Always `local`: the engine's own directory. */
  driver: z.literal('local'),
  /** Where its files are, on the machine the engine runs on. */
  mountpoint: z.string(),
  createdAt: z.string(),
  labels: z.record(z.string(), z.string()),
  /** Made for one container with no name given (`-v /path`, the image's VOLUME). */
  anonymous: z.boolean(),
  /** The containers (IDs) whose mounts name it, running or not. */
  usedBy: z.array(z.string()),
});
export type VolumeSummary = z.infer<typeof volumeSummary>;

export const volumeCreateRequest = z.object({
  /** Docker's rule for local volume names; a random 64-hex name when absent. */
  name: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const volumePruneResult = z.object({ removed: z.array(z.string()), reclaimedBytes: z.number() });
export type VolumePruneResult = z.infer<typeof volumePruneResult>;
