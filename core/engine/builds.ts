import { join, resolve } from 'node:path';
import type { BuildRequestArgs } from '../api/builds.schema.js';
import { BuildCache } from '../builder/buildCache.js';
import type { Builder, BuildObserver, BuildRequest, BuildResult } from '../builder/builder.js';
import { BuildHistory } from '../builder/buildHistory.js';
import { readSecretFiles } from '../builder/buildSecrets.js';
import { imageForPlatform } from '../builder/platformImage.js';
import { sourceDateEpochFrom } from '../builder/reproducible.js';
import { forgetRebuildRecords } from '../builder/unchangedRebuild.js';
import { describeError, StevedoreError } from '../errors.js';
import { formatPlatform, parsePlatform } from '../oci/platform.js';
import { formatReference, parseTaggedReference } from '../oci/reference.js';
import type { HandlersOf, MethodsOf } from './handlerSlice.js';
import type { Services } from './services.js';

/** Dockerfile builds: the builder, its cache, the builds kept (the app's Builds view) and those running here. */
export class BuildsService {
  private cacheMade?: BuildCache;
  private historyMade?: BuildHistory;
  /** Loaded at the first build: the Dockerfile front end is not every command's start-up cost. */
  private builderLoaded?: Promise<Builder>;
  /** The builds this engine runs, by ID, with their cancel switches. */
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly s: Services) {}

  /** The build cache: what gc keeps for the next build's CACHED steps. */
  get cache(): BuildCache {
    this.cacheMade ??= new BuildCache(this.s.core.store);
    return this.cacheMade;
  }

  /** The builds kept, with their steps and output, across restarts. */
  get history(): BuildHistory {
    this.historyMade ??= new BuildHistory(this.s.core.store.root);
    return this.historyMade;
  }

  private builder(): Promise<Builder> {
    const { core } = this.s;
    this.builderLoaded ??= import('../builder/builder.js').then(
      ({ Builder }) =>
        new Builder({
          store: core.store,
          snapshots: core.snapshots,
          cache: this.cache,
          localImage: (ref, platform) => {
            try {
              return imageForPlatform(core.records, core.records.resolve(ref), platform);
            } catch {
              return undefined;
            }
          },
          image: async (ref, options) => {
            const platform = options?.platform;
            // `build --pull`: the registry is asked even when the store has the image.
            if (!options?.pull) {
              try {
                const found = imageForPlatform(core.records, core.records.resolve(ref), platform);
                if (found) return found;
              } catch (err) {
                if ((err as StevedoreError).code !== 'IMAGE_NOT_FOUND') throw err;
              }
            }
            await this.s.transfers.pull({ ref, ...(platform ? { platform: formatPlatform(platform) } : {}) });
            const pulled = imageForPlatform(core.records, core.records.resolve(ref), platform);
            if (!pulled) throw new StevedoreError('IMAGE_NOT_FOUND', `${ref} has no image for ${formatPlatform(platform)}`);
            return pulled;
          },
          fetchUrl: async (url, signal) => (await this.s.transfers.registries()).fetchUrl(url, signal),
          runBuildStep: (request, onOutput) => this.s.containers.runtime.runBuildStep(request, onOutput),
        }),
    );
    return this.builderLoaded;
  }

  /** `stevedore build`: the image built from a Dockerfile, its steps reported to `observer`. */
  async build(request: BuildRequest, observer: BuildObserver): Promise<BuildResult> {
    const tags = request.tags.map((t) => formatReference(parseTaggedReference(t)));
    const builder = await this.builder();
    const result = await builder.build({ ...request, tags }, observer);
    this.s.core.emit('images.changed', { reason: 'build' });
    return result;
  }

  /**
   * A build kept in the history (the app's Builds view lists those from the CLI too): its steps
   * and output emitted as events and also given to `observer`. `done` settles when it ends.
   */
  recorded(
    args: BuildRequestArgs,
    observer?: BuildObserver,
    /** `--secret`s by id: given to the build, never recorded. */
    secrets?: Record<string, Buffer>,
    /** `--ssh` agent sockets by id: given to the build, never recorded. */
    ssh?: Record<string, string>,
  ): { buildId: string; done: Promise<BuildResult> } {
    const { core } = this.s;
    const contextDir = resolve(args.contextDir);
    const dockerfile = args.dockerfile ? resolve(contextDir, args.dockerfile) : join(contextDir, 'Dockerfile');
    // Checked before the record exists: a bad SOURCE_DATE_EPOCH must not leave a build "running".
    const epoch = sourceDateEpochFrom();
    const platform = args.platform ? parsePlatform(args.platform) : undefined;
    // The app's secrets are files here, read now: a missing one fails before the build exists.
    const given = args.secretFiles ? { ...readSecretFiles(args.secretFiles), ...secrets } : secrets;
    const build = this.history.begin({
      contextDir,
      dockerfile,
      tags: args.tags ?? [],
      buildArgs: args.buildArgs ?? {},
      target: args.target ?? null,
      noCache: args.noCache ?? false,
    });
    const { buildId } = build;
    const cancel = new AbortController();
    this.running.set(buildId, cancel);
    const done = this.build(
      {
        contextDir,
        dockerfile,
        tags: build.tags,
        buildArgs: build.buildArgs,
        ...(args.target ? { target: args.target } : {}),
        noCache: build.noCache,
        ...(args.noCacheFilter?.length ? { noCacheFilter: args.noCacheFilter } : {}),
        ...(args.labels ? { labels: args.labels } : {}),
        ...(args.output ? { output: args.output } : {}),
        ...(args.pull ? { pull: true } : {}),
        ...(platform ? { platform } : {}),
        ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
        ...(given ? { secrets: given } : {}),
        ...(ssh ? { ssh } : {}),
        signal: cancel.signal,
      },
      {
        step: (step) => {
          this.history.step(buildId, step);
          core.emit('build.progress', { buildId, step });
          observer?.step(step);
        },
        output: (step, stream, text) => {
          this.history.output(buildId, { step, stream, text });
          core.emit('build.output', { buildId, step, stream, text });
          observer?.output(step, stream, text);
        },
      },
    );
    void done.finally(() => this.running.delete(buildId)).catch(() => undefined);
    done.then(
      (result) => core.emit('build.ended', this.history.end(buildId, { imageId: result.imageId })),
      (err: unknown) => core.emit('build.ended', this.history.end(buildId, { error: describeError(err).message })),
    );
    return { buildId, done };
  }

  /** For the app: the build starts, and its ID comes back at once. */
  start(args: BuildRequestArgs): { buildId: string } {
    const { buildId, done } = this.recorded(args);
    done.catch(() => undefined);
    return { buildId };
  }

  /** Cancels a build this engine runs; false when it runs nowhere here (ended, or another process's). */
  cancel(buildId: string): { cancelled: boolean } {
    const running = this.running.get(buildId);
    running?.abort();
    return { cancelled: running !== undefined };
  }

  /** Forgets the build cache, then collects the layers only it kept. */
  async pruneCache(): Promise<{ entries: number; reclaimedBytes: number }> {
    const entries = this.cache.prune();
    forgetRebuildRecords(this.s.core.store.root);
    return { entries, reclaimedBytes: (await this.s.store.gc(false)).reclaimedBytes };
  }
}

export function buildHandlers(s: Services): HandlersOf<MethodsOf<'builds'>> {
  return {
    'builds.start': async (args) => s.builds.start(args),
    'builds.list': async () => s.builds.history.list(),
    'builds.inspect': async ({ buildId }) => s.builds.history.get(buildId),
    'builds.prune': async () => s.builds.pruneCache(),
    'builds.cancel': async ({ buildId }) => s.builds.cancel(buildId),
  };
}
