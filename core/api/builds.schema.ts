import { z } from 'zod';

export const buildStepState = z.enum(['running', 'cached', 'done', 'failed']);

/** One step of a build, as the Builds view lists it: `[2/5] RUN make`, its state and time. */
export const buildStep = z.object({
  /** Numbered across the build (BuildKit's `#N`). */
  step: z.number().int(),
  title: z.string(),
  state: buildStepState,
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
});
export type BuildStep = z.infer<typeof buildStep>;

export const buildOutput = z.object({
  step: z.number().int(),
  stream: z.enum(['stdout', 'stderr']),
  text: z.string(),
});
export type BuildOutput = z.infer<typeof buildOutput>;

export const buildSummary = z.object({
  buildId: z.string(),
  contextDir: z.string(),
  dockerfile: z.string(),
  tags: z.array(z.string()),
  state: z.enum(['running', 'done', 'failed']),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** The built image's ID (config digest), once done. */
  imageId: z.string().nullable(),
  error: z.string().nullable(),
  stepCount: z.number().int(),
  cachedCount: z.number().int(),
});
export type BuildSummary = z.infer<typeof buildSummary>;

export const buildDetail = buildSummary.extend({
  buildArgs: z.record(z.string(), z.string()),
  target: z.string().nullable(),
  noCache: z.boolean(),
  steps: z.array(buildStep),
  output: z.array(buildOutput),
});
export type BuildDetail = z.infer<typeof buildDetail>;

export const buildRequest = z.object({
  /** A directory on the engine's machine. */
  contextDir: z.string().min(1),
  /** Default: `Dockerfile` in the context; relative paths are taken from the context. */
  dockerfile: z.string().min(1).optional(),
  tags: z.array(z.string().min(1)).optional(),
  buildArgs: z.record(z.string(), z.string()).optional(),
  target: z.string().min(1).optional(),
  noCache: z.boolean().optional(),
  /** `--no-cache-filter`: the stages (by name) whose steps skip the cache. */
  noCacheFilter: z.array(z.string().min(1)).optional(),
  /** `--label`: set on the image, over the labels its Dockerfile and base give. */
  labels: z.record(z.string(), z.string()).optional(),
  /** `-o`: the result exported instead of stored as an image (BuildKit's local, tar and oci exporters). */
  output: z.object({ type: z.enum(['local', 'tar', 'oci']), dest: z.string().min(1) }).optional(),
  /** `--pull`: look for a newer version of every image the build reads in its registry. */
  pull: z.boolean().optional(),
  /** `--platform os/arch[/variant]`: the platform built for; default the engine's. */
  platform: z.string().min(1).optional(),
  /**
   * The app's `--secret`s: files on the engine's machine by id, for `RUN --mount=type=secret`;
   * read when the build starts, never recorded with it.
   */
  secretFiles: z.record(z.string().min(1), z.string().min(1)).optional(),
});
export type BuildRequestArgs = z.infer<typeof buildRequest>;

/** Events of a running build. */
export const buildProgress = z.object({ buildId: z.string(), step: buildStep });
export const buildOutputEvent = buildOutput.extend({ buildId: z.string() });
