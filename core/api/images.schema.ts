import { z } from 'zod';

export const platformInfo = z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() });

export const imageSummary = z.object({
  /** The image ID: the config digest. */
  id: z.string(),
  /** Full normalized reference, or null for an untagged image. */
  reference: z.string().nullable(),
  /** As docker shows it: `busybox`, `host:5000/app`; `<none>` when untagged. */
  repository: z.string(),
  tag: z.string(),
  /** The digest of the index.json entry (manifest, or index for multi-platform images). */
  digest: z.string(),
  mediaType: z.string(),
  created: z.string().nullable(),
  /** Sum of the layer blob sizes, as stored (compressed). */
  size: z.number(),
  /** The part of `size` in layers that other images use too. */
  sharedSize: z.number(),
  layers: z.number(),
  platform: platformInfo,
  /** When this name was last pulled (absent from engines before it; null: never, as a loaded or built image). */
  pulledAt: z.string().nullable().optional(),
});
export type ImageSummary = z.infer<typeof imageSummary>;

export const layerInfo = z.object({
  digest: z.string(),
  mediaType: z.string(),
  size: z.number(),
  diffId: z.string().nullable(),
  /** Other images that hold this layer too, by name or short ID. */
  sharedWith: z.array(z.string()),
});

export const historyInfo = z.object({
  created: z.string().nullable(),
  createdBy: z.string(),
  comment: z.string().nullable(),
  emptyLayer: z.boolean(),
});

export const imageDetail = z.object({
  id: z.string(),
  references: z.array(z.string()),
  digest: z.string(),
  mediaType: z.string(),
  mediaTypeLabel: z.string(),
  manifestDigest: z.string(),
  manifestMediaType: z.string(),
  platform: platformInfo,
  /** For a multi-platform image: every platform its index lists, and whether it is stored. */
  platforms: z.array(z.object({ platform: z.string(), digest: z.string(), present: z.boolean() })),
  created: z.string().nullable(),
  author: z.string().nullable(),
  size: z.number(),
  config: z.object({
    entrypoint: z.array(z.string()).nullable(),
    cmd: z.array(z.string()).nullable(),
    env: z.array(z.string()),
    workingDir: z.string().nullable(),
    user: z.string().nullable(),
    exposedPorts: z.array(z.string()),
    volumes: z.array(z.string()),
    labels: z.record(z.string(), z.string()),
    stopSignal: z.string().nullable(),
  }),
  history: z.array(historyInfo),
  layers: z.array(layerInfo),
  /** The raw documents, as stored. */
  manifestJson: z.string(),
  configJson: z.string(),
});
export type ImageDetail = z.infer<typeof imageDetail>;

export const loadResult = z.object({ references: z.array(z.string()), images: z.array(z.string()) });
export type LoadResult = z.infer<typeof loadResult>;

export const removeResult = z.object({ untagged: z.array(z.string()), deleted: z.array(z.string()) });
export type RemoveResult = z.infer<typeof removeResult>;

/** An image no container may lose: its ID and the containers (by name) standing on it. */
export const imageUse = z.object({ id: z.string(), containers: z.array(z.string()) });
export type ImageUse = z.infer<typeof imageUse>;

/** `image prune`: what goes (or would, with dryRun) and the blob bytes that gives back. */
export const pruneResult = z.object({
  dryRun: z.boolean(),
  /** The images taken: their IDs and names as docker shows them (`repo:tag`; none when dangling). */
  images: z.array(z.object({ id: z.string(), names: z.array(z.string()) })),
  reclaimedBytes: z.number(),
});
export type PruneResult = z.infer<typeof pruneResult>;
