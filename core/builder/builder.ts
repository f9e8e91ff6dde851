import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import type { BuildStep } from '../api/builds.schema.js';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import { resolveInRoot } from '../layers/confinedPath.js';
import { createLayerTar } from '../layers/createLayer.js';
import { storeLayerTar } from '../layers/storeLayer.js';
import type { HistoryEntry, ImageConfig } from '../oci/config.js';
import type { Platform } from '../oci/descriptor.js';
import { formatPlatform, hostPlatform } from '../oci/platform.js';
import type { BuildStepRequest, BuildStepResult, StepMount, StepProcessRequest } from '../runtime/buildStep/buildStepRequest.js';
import { resolveUser } from '../runtime/userLookup.js';
import { chainIds } from '../snapshots/chainId.js';
import type { SnapshotStore } from '../snapshots/snapshotStore.js';
import { holdUnderLock, type Lease } from '../store/lease.js';
import type { Store } from '../store/store.js';
import { type ArchiveKind, archiveKind, extractArchive } from './addArchive.js';
import { type BindSelection, selectBindSource } from './bindMountKey.js';
import { type BuildCache, stepKey } from './buildCache.js';
import { type BuildExport, exportBuild } from './buildExport.js';
import { secretUse } from './buildSecrets.js';
import { sshUse } from './buildSsh.js';
import type { BuildState, BuiltLayer } from './buildState.js';
import { buildWarnings } from './buildWarnings.js';
import { type ContextBindSource, contextBindSource } from './contextBindSource.js';
import {
  type CopyRequest,
  type ImageInfo,
  lstatOrUndefined,
  type SourceMatch,
  selectSources,
  stageDirectory,
  stageSelection,
  walkRelative,
} from './copySources.js';
import { applyInstruction, beginStage, type RunConfig, runInvocation } from './dockerfile/configRules.js';
import { type IgnoreMatcher, matcher, readDockerignore } from './dockerfile/dockerignore.js';
import type {
  AddInstruction,
  CopyInstruction,
  CopySource,
  Instruction,
  RunInstruction,
  Stage,
} from './dockerfile/instructionTypes.js';
import { baseImageUses, type ParseOptions, parseDockerfile } from './dockerfile/parseDockerfile.js';
import { foreignRunProblem } from './foreignPlatform.js';
import { commitImage } from './imageCommit.js';
import { layerOwners, type Owner, ownedAsImage, recordedOwners } from './ownersWithoutRoot.js';
import { imageCommitTime } from './reproducible.js';
import { fetchUrlSources, isUrlSource, type UrlFetcher } from './urlSources.js';

export interface BuildRequest {
  contextDir: string;
  /** Default: `Dockerfile` in the context. */
  dockerfile?: string;
  tags: string[];
  buildArgs: Record<string, string>;
  target?: string;
  noCache: boolean;
  /** --no-cache-filter: the stages (by name, as BuildKit matches them) whose steps skip the cache. */
  noCacheFilter?: string[];
  /** --label: set on the image built, over the labels it would have. */
  labels?: Record<string, string>;
  /** Clamp file times and fix `created` to this (seconds), as SOURCE_DATE_EPOCH asks. */
  sourceDateEpoch?: number;
  /** `--secret`s by id, read by the face (buildSecrets.ts): for `RUN --mount=type=secret` only. */
  secrets?: Record<string, Buffer>;
  /** `--ssh`: agent sockets by id (buildSsh.ts), for `RUN --mount=type=ssh` only. */
  ssh?: Record<string, string>;
  /** Cancels the build: the running step's container is killed and nothing after it runs or is cached. */
  signal?: AbortSignal;
  /** `-o`: the result exported there (buildExport.ts) instead of stored as an image. */
  output?: BuildExport;
  /** `--pull`: every image the build reads is looked for in its registry, a newer one pulled. */
  pull?: boolean;
  /** `--platform`: the platform built for (its FROM images, TARGETPLATFORM); default this machine's. */
  platform?: Platform;
}

/** A step's progress, as the contract's build steps have it: `#N`, `[2/5] RUN make`, its state and time. */
export type StepEvent = BuildStep;

export interface BuildObserver {
  step(event: StepEvent): void;
  output(step: number, stream: 'stdout' | 'stderr', text: string): void;
}

export interface BuildResult {
  imageId: Digest;
  manifestDigest: Digest;
  tags: string[];
  /** What the build warns about without failing (buildWarnings.ts), for the face to print. */
  warnings: string[];
}

export interface BuilderDeps {
  store: Store;
  cache: BuildCache;
  snapshots: SnapshotStore;
  /** The image by name, pulled first if it is not in the store (always, with `pull`). */
  image: (ref: string, options?: { pull?: boolean; platform?: Platform }) => Promise<ImageRecord>;
  /** The image by name when it is in the store already (of `platform`, when given). */
  localImage: (ref: string, platform?: Platform) => ImageRecord | undefined;
  /** `ADD <url>`: the URL fetched through the registry client's HTTP stack (urlFetch.ts). */
  fetchUrl?: UrlFetcher;
  /** A RUN step, where the engine's runtime runs containers (RuntimeBackend.runBuildStep). */
  runBuildStep: (
    request: BuildStepRequest,
    onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
  ) => Promise<BuildStepResult>;
}

const EMPTY_CONFIG = (platform: Platform = hostPlatform()): ImageConfig => {
  return {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: {},
    rootfs: { type: 'layers', diff_ids: [] },
    history: [],
  };
};

/**
 * `stevedore build`: a Dockerfile's stages, each step cached by its key (the key before it, the
 * instruction as substituted, and for COPY/ADD a checksum of the files), RUN in a runc container,
 * COPY staged straight into a layer, stages the target doesn't need skipped, independent ones run
 * at the same time.
 */
export class Builder {
  private readonly cache: BuildCache;

  constructor(private readonly deps: BuilderDeps) {
    this.cache = deps.cache;
  }

  async build(request: BuildRequest, observer: BuildObserver): Promise<BuildResult> {
    // Everything the build reads or makes is leased until it ends (see holdImage, heldHit,
    // rootfsOf, withLayer): gc, rmi and `builder prune` meanwhile leave it whole.
    const lease = this.deps.store.newLease();
    try {
      return await this.buildHolding(request, observer, lease);
    } finally {
      lease.release();
    }
  }

  private async buildHolding(request: BuildRequest, observer: BuildObserver, lease: Lease): Promise<BuildResult> {
    const dockerfilePath = request.dockerfile ?? join(request.contextDir, 'Dockerfile');
    let text: string;
    try {
      text = readFileSync(dockerfilePath, 'utf8');
    } catch (err) {
      throw new StevedoreError(
        'NOT_FOUND',
        `cannot read the Dockerfile ${dockerfilePath}: ${(err as NodeJS.ErrnoException).code}`,
      );
    }
    const options = {
      buildArgs: request.buildArgs,
      ...(request.target ? { target: request.target } : {}),
      ...(request.platform ? { platform: request.platform } : {}),
    };
    // The images first, pulled together: their Env and ONBUILD triggers are part of what the
    // Dockerfile means. A trigger may name more images (or stages with other bases): ask again.
    const baseImage: ParseOptions['baseImage'] = (ref, platform) => {
      const image = this.deps.localImage(ref, platform ?? request.platform);
      return image
        ? { env: image.config.config?.Env ?? [], onBuild: (image.config.config?.OnBuild as string[] | undefined) ?? [] }
        : undefined;
    };
    // Each found once and held: every stage reads the same image, even if its name moves meanwhile.
    const images = new Map<string, Promise<ImageRecord>>();
    for (let uses = baseImageUses(text, options); ; uses = baseImageUses(text, { ...options, baseImage })) {
      const missing = uses.filter((use) => !images.has(imageKey(use.ref, use.platform ?? request.platform)));
      if (missing.length === 0) break;
      for (const { ref, platform = request.platform } of missing) {
        const key = imageKey(ref, platform);
        if (!images.has(key)) images.set(key, this.holdImage(ref, lease, request.pull, platform));
      }
      await Promise.all(missing.map((use) => images.get(imageKey(use.ref, use.platform ?? request.platform))));
    }
    const dockerfile = parseDockerfile(text, { ...options, baseImage });
    const ignores = matcher(readDockerignore(request.contextDir, dockerfilePath));
    const stages = dockerfile.stagesFor();
    refuseForeignRuns(stages, request.platform);
    const epoch = request.sourceDateEpoch;
    let counter = 0;
    const nextStep = () => ++counter;
    const results = new Map<number, Promise<BuildState>>();
    const selections = new WeakMap<Instruction, Promise<CopySelection>>();
    const boundFiles = new WeakMap<Instruction, Promise<BindSelection[]>>();
    const buildDir = join(this.deps.store.root, 'tmp', 'build', `${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(buildDir, { recursive: true });
    try {
      for (const stage of stages) {
        const deps = stage.dependencies.map((i) => results.get(i)!);
        const label = stage.index === dockerfile.target ? '' : `${stage.name ?? `stage-${stage.index}`} `;
        results.set(
          stage.index,
          Promise.all(deps).then(() =>
            this.buildStage(stage, {
              label,
              results,
              request,
              ignores,
              proxyEnv: dockerfile.proxyEnv,
              epoch,
              nextStep,
              observer,
              buildDir,
              selections,
              boundFiles,
              lease,
              images,
            }),
          ),
        );
      }
      const final = await results.get(dockerfile.target)!;
      // The image was made when its last step was: a fully cached rebuild gives the same image ID.
      const created =
        epoch !== undefined ? imageCommitTime(epoch) : (final.config.history?.at(-1)?.created ?? imageCommitTime(undefined));
      const labelled = request.labels
        ? { ...final.config.config, Labels: { ...(final.config.config?.Labels ?? {}), ...request.labels } }
        : final.config.config;
      const config: ImageConfig = { ...final.config, ...(labelled ? { config: labelled } : {}), created };
      if (request.output) {
        const deps = { store: this.deps.store, snapshots: this.deps.snapshots, lease, buildDir };
        const ids = await exportBuild(deps, { ...final, config }, request.output, request.tags);
        return { ...ids, tags: [], warnings: buildWarnings(dockerfile) };
      }
      const { imageId, manifest } = await commitImage(this.deps.store, { ...final, config }, request.tags);
      return { imageId, manifestDigest: manifest.digest as Digest, tags: request.tags, warnings: buildWarnings(dockerfile) };
    } finally {
      // A failed stage leaves others running: let them end before their files go.
      await Promise.allSettled(results.values());
      rmSync(buildDir, { recursive: true, force: true });
    }
  }

  private async buildStage(stage: Stage, ctx: StageContext): Promise<BuildState> {
    const total = stage.instructions.length + 1;
    const title = (k: number, text: string) => `[${ctx.label}${k}/${total}] ${text}`;
    const filtered = (ctx.request.noCacheFilter ?? []).some((n) => stage.name !== undefined && n.toLowerCase() === stage.name);
    const uncached = ctx.request.noCache || filtered;
    let state = await this.step(ctx, title(1, stage.from.original), async () => this.baseState(stage, ctx));
    const ahead = uncached ? new Map<string, BuildState>() : await this.holdHitsAhead(state, stage.instructions, ctx);
    for (const [i, instruction] of stage.instructions.entries()) {
      const parent = state;
      state = await this.step(
        ctx,
        title(i + 2, instruction.original),
        (key, step) => this.apply(parent, instruction, ctx, key, step),
        { parent, instruction, uncached, ahead },
      );
    }
    return state;
  }

  /** Runs one step through the cache: a hit is reported CACHED, a miss runs and is stored. */
  private async step(
    ctx: StageContext,
    title: string,
    run: (key: string, step: number) => Promise<BuildState>,
    of?: { parent: BuildState; instruction: Instruction; uncached: boolean; ahead: Map<string, BuildState> },
  ): Promise<BuildState> {
    const step = ctx.nextStep();
    const started = Date.now();
    ctx.observer.step({ step, title, state: 'running', durationMs: null, error: null });
    try {
      throwIfCancelled(ctx.request.signal);
      const key = of ? await this.keyOf(of.parent, of.instruction, ctx) : '';
      const hit = of && !of.uncached ? await this.heldHit(key, ctx, of.ahead.get(key)) : undefined;
      if (hit) {
        ctx.observer.step({ step, title, state: 'cached', durationMs: Date.now() - started, error: null });
        return hit;
      }
      const state = await run(key, step);
      throwIfCancelled(ctx.request.signal);
      if (of) this.cache.put(state);
      ctx.observer.step({ step, title, state: 'done', durationMs: Date.now() - started, error: null });
      return state;
    } catch (err) {
      ctx.observer.step({ step, title, state: 'failed', durationMs: Date.now() - started, error: (err as Error).message });
      throw err;
    }
  }

  /**
   * A cache hit, its layers leased for the rest of the build. Only the cache named them, and a
   * `builder prune` and gc may have removed them since it was read: then it is a miss. `found`:
   * the entry holdHitsAhead read already.
   */
  private async heldHit(key: string, ctx: StageContext, found?: BuildState): Promise<BuildState | undefined> {
    const hit = found ?? this.cache.get(key);
    if (!hit) return undefined;
    const blobs = hit.layers.map((l) => l.descriptor.digest as Digest);
    await holdUnderLock(this.deps.store.layout, ctx.lease, blobs);
    return blobs.every((d) => this.deps.store.hasBlob(d)) ? hit : undefined;
  }

  /**
   * The cache hits a stage starts with, found before its steps run, their layers leased under one
   * store lock: each step's heldHit then finds them held and takes no lock of its own (a fully
   * cached rebuild took it once per step that adds a layer). The run ends at a miss, and before a
   * step whose key needs more than the context (COPY --from another stage or image, ADD of a URL:
   * the step fetches that in its own time) or cannot be worked out (the step says why); the steps
   * after it lease their own hits. Returns the hits by key, for the steps not to read them again.
   */
  private async holdHitsAhead(
    base: BuildState,
    instructions: readonly Instruction[],
    ctx: StageContext,
  ): Promise<Map<string, BuildState>> {
    const hits = new Map<string, BuildState>();
    const digests: Digest[] = [];
    let parent = base;
    for (const instruction of instructions) {
      if (instruction.kind === 'COPY' && instruction.from !== undefined) break;
      if (instruction.kind === 'ADD' && instruction.sources.some(isUrlSource)) break;
      if (instruction.kind === 'RUN' && instruction.mounts.some((m) => m.type === 'bind' && m.from !== undefined)) break;
      const key = await this.keyOf(parent, instruction, ctx).catch(() => undefined);
      const hit = key === undefined ? undefined : this.cache.get(key);
      if (key === undefined || !hit) break;
      hits.set(key, hit);
      digests.push(...hit.layers.map((l) => l.descriptor.digest as Digest));
      parent = hit;
    }
    await holdUnderLock(this.deps.store.layout, ctx.lease, digests);
    return hits;
  }

  /** The key of a step: its parent's, the instruction as substituted, and the files it copies. */
  private async keyOf(parent: BuildState, instruction: Instruction, ctx: StageContext): Promise<string> {
    const { line: _l, endLine: _e, original: _o, ...meaning } = instruction as Instruction & { line: number };
    const files =
      instruction.kind === 'COPY' || instruction.kind === 'ADD'
        ? (await this.copySelection(parent, instruction, ctx)).checksum
        : instruction.kind === 'RUN'
          ? (await this.boundFiles(instruction, ctx)).map((b) => b.checksum).join('\0')
          : '';
    return stepKey(parent.key, JSON.stringify(meaning), files);
  }

  /**
   * What a RUN's bind mounts show it (bindMountKey.ts), in their order, selected once a build: for
   * its key, then for its mounts.
   */
  private boundFiles(instruction: RunInstruction, ctx: StageContext): Promise<BindSelection[]> {
    let files = ctx.boundFiles.get(instruction);
    if (!files) {
      files = (async () => {
        const selections: BindSelection[] = [];
        for (const mount of instruction.mounts) {
          if (mount.type !== 'bind') continue;
          const root = mount.from === undefined ? ctx.request.contextDir : await this.sourceRootOf(mount.from, ctx);
          selections.push(selectBindSource(mount, root, ctx.ignores));
        }
        return selections;
      })();
      ctx.boundFiles.set(instruction, files);
    }
    return files;
  }

  private async baseState(stage: Stage, ctx: StageContext): Promise<BuildState> {
    const epoch = ctx.epoch === undefined ? '' : `${ctx.epoch}`;
    // A stage starts with PATH defaulted, its base's ONBUILD consumed, and no CMD of its own yet.
    const begin = (state: BuildState): BuildState => {
      const started = beginStage({
        config: state.config.config as RunConfig,
        ...(state.config.author ? { author: state.config.author } : {}),
      });
      return { ...state, config: { ...state.config, config: started.config }, cmdSet: false };
    };
    if (stage.base.kind === 'stage') {
      const parent = await ctx.results.get(stage.base.index)!;
      return begin({ ...parent, key: stepKey(parent.key, 'stage') });
    }
    // COPY --from=image asks with no FROM line: the build's platform.
    const platform = stage.from?.platform ?? ctx.request.platform;
    if (stage.base.kind === 'scratch') {
      const config = EMPTY_CONFIG(platform);
      return begin({ key: stepKey('scratch', formatPlatform(platform ?? hostPlatform()), epoch), config, layers: [] });
    }
    const image = await this.imageOf(stage.base.ref, ctx, platform);
    const layers: BuiltLayer[] = (image.manifest.layers as BuiltLayer['descriptor'][]).map((descriptor, i) => ({
      descriptor,
      diffId: image.config.rootfs.diff_ids[i] as Digest,
    }));
    const { created: _c, ...config } = image.config;
    return begin({ key: stepKey(image.configDigest, epoch), config: { ...config, history: config.history ?? [] }, layers });
  }

  /** An image the build reads, as it was when the build first asked for it, held to the end. */
  private imageOf(ref: string, ctx: StageContext, platform: Platform | undefined): Promise<ImageRecord> {
    let image = ctx.images.get(imageKey(ref, platform));
    if (!image) {
      image = this.holdImage(ref, ctx.lease, ctx.request.pull, platform);
      ctx.images.set(imageKey(ref, platform), image);
    }
    return image;
  }

  /**
   * The image (pulled first if need be), its blobs and snapshots leased. The lease is taken after
   * the image was found, so a gc may have removed it in between: then it is missing now, and
   * the build stops rather than build on what is left of it.
   */
  private async holdImage(ref: string, lease: Lease, pull = false, platform?: Platform): Promise<ImageRecord> {
    const image = await this.deps.image(ref, { pull, ...(platform ? { platform } : {}) });
    const blobs = [image.top, image.manifestDescriptor, ...image.manifest.layers].map((d) => d.digest as Digest);
    blobs.push(image.configDigest);
    await holdUnderLock(this.deps.store.layout, lease, [...blobs, ...chainIds(image.config.rootfs.diff_ids as Digest[])]);
    if (!blobs.every((d) => this.deps.store.hasBlob(d))) {
      throw new StevedoreError('CONFLICT', `the image ${ref} was removed while the build started; try again`);
    }
    return image;
  }

  private async rootfsOf(state: BuildState, ctx: StageContext): Promise<string | undefined> {
    if (state.layers.length === 0) return undefined;
    return this.deps.snapshots.prepareLayers(
      state.layers.map((l) => l.descriptor),
      state.layers.map((l) => l.diffId),
      { lease: ctx.lease },
    );
  }

  private async apply(
    parent: BuildState,
    instruction: Instruction,
    ctx: StageContext,
    key: string,
    step: number,
  ): Promise<BuildState> {
    const created = imageCommitTime(ctx.epoch);
    const ruled = applyInstruction(
      {
        config: (parent.config.config ?? {}) as RunConfig,
        ...(parent.config.author ? { author: parent.config.author } : {}),
        cmdSetInStage: parent.cmdSet === true,
      },
      instruction,
    );
    const config: ImageConfig = {
      ...parent.config,
      config: ruled.stage.config,
      ...(ruled.stage.author !== undefined ? { author: ruled.stage.author } : {}),
    };
    const history = ruled.history ? { created, ...ruled.history } : undefined;
    const next = (state: BuildState): BuildState => ({ ...state, ...(ruled.stage.cmdSetInStage ? { cmdSet: true } : {}) });
    if (instruction.kind === 'RUN') return next(await this.run(parent, instruction, ctx, key, history!, step));
    if (instruction.kind === 'COPY' || instruction.kind === 'ADD')
      return next(await this.copy(parent, instruction, ctx, key, history!));
    if (instruction.kind === 'WORKDIR' && history && !history.empty_layer) {
      const dir = config.config?.WorkingDir ?? '/';
      const rootfs = await this.rootfsOf(parent, ctx);
      if (!rootfs || !existsSync(resolveInRoot(rootfs, dir, true))) {
        // BuildKit makes a missing working directory (llb.Mkdir with parents) owned by the
        // stage's USER: a layer of the directories it made.
        const user = config.config?.User;
        const owner = user ? resolveUser(rootfs ?? emptyDir(ctx), user) : { uid: 0, gid: 0 };
        const staging = join(ctx.buildDir, `workdir-${randomBytes(4).toString('hex')}`);
        mkdirSync(staging);
        const asImage = await this.ownersWithoutRoot(parent);
        const recorded = asImage ? recordedOwners(staging) : undefined;
        const paths = stageDirectory(
          realDest(rootfs, dir),
          { uid: owner.uid, gid: owner.gid },
          staging,
          imageInfo(rootfs, asImage),
          recorded?.set,
        );
        return next(await this.withLayer(parent, config, key, staging, paths, history, ctx, [], recorded?.owners));
      }
      // It is there already: BuildKit still records the step with its layer, an empty one
      // (convert.go dispatchWorkdir runs llb.Mkdir for any path but `/`; docker/buildx#1910).
      const unchanged = join(ctx.buildDir, `workdir-${randomBytes(4).toString('hex')}`);
      mkdirSync(unchanged);
      return next(await this.withLayer(parent, config, key, unchanged, [], history, ctx));
    }
    return next({
      key,
      config: { ...config, history: history ? [...(config.history ?? []), history] : (config.history ?? []) },
      layers: parent.layers,
    });
  }

  private async run(
    parent: BuildState,
    instruction: RunInstruction,
    ctx: StageContext,
    key: string,
    history: HistoryEntry,
    step: number,
  ): Promise<BuildState> {
    const { args, scripts } = runInvocation(instruction, (parent.config.config as RunConfig | undefined)?.Shell);
    const network = instruction.network === 'none' ? 'none' : instruction.network === 'host' ? 'host' : 'bridge';
    const views: ContextBindSource[] = [];
    const secretEnv: string[] = [];
    let layer: BuiltLayer;
    try {
      const mounts = await this.runMounts(parent, instruction, ctx, views, secretEnv);
      const process_: StepProcessRequest = {
        args,
        // The predefined proxy args reach RUN without an ARG line (an ARG or ENV of the same
        // name wins); they are in no history line and no cache key, as BuildKit's ProxyEnv.
        env: [
          ...instruction.env,
          ...ctx.proxyEnv.filter((p) => !instruction.env.some((e) => e.startsWith(p.slice(0, p.indexOf('=') + 1)))),
          ...secretEnv,
        ],
        workingDir: parent.config.config?.WorkingDir || '/',
        user: parent.config.config?.User ?? '',
        network,
        mounts,
      };
      // The step runs where the engine's runtime runs containers (here, or in its machine); a
      // `#!` heredoc is a script file, mounted read-only where the command expects it.
      layer = await this.deps.runBuildStep(
        {
          layers: parent.layers,
          process: process_,
          files: scripts.map((s) => ({ path: s.path, content: s.content, mode: s.mode })),
          buildDir: ctx.buildDir,
          lease: ctx.lease,
          ...(ctx.epoch !== undefined ? { sourceDateEpoch: ctx.epoch } : {}),
          ...(ctx.request.signal ? { signal: ctx.request.signal } : {}),
        },
        (stream, text) => ctx.observer.output(step, stream, text),
      );
    } finally {
      // The runtime has unmade the step's mounts by now; the views they lay over go after them.
      await Promise.all(views.map((view) => view.release()));
    }
    return this.withStoredLayer(parent, parent.config, key, layer, history);
  }

  /**
   * RUN --mount, as the runtime that runs the step is to make it (StepMount): `cache` by a hash of
   * its id (default: the target), kept across builds where the step runs; `tmpfs`; `bind` of the
   * context (what .dockerignore keeps of it, contextBindSource.ts, a view this engine makes and
   * `views` releases), a stage or an image, read-only or with `rw` written to a throw-away layer
   * over it; `secret` a file of the build's `--secret` (0400 root's by default, a mount point, so
   * never in the layer) and/or an environment variable; `ssh` the agent socket `--ssh` gave for
   * its id, SSH_AUTH_SOCK naming the first.
   */
  private async runMounts(
    parent: BuildState,
    instruction: RunInstruction,
    ctx: StageContext,
    views: ContextBindSource[],
    env: string[],
  ): Promise<StepMount[]> {
    const workdir = parent.config.config?.WorkingDir || '/';
    const mounts: StepMount[] = [];
    let sshMounts = 0;
    let binds = 0;
    for (const mount of instruction.mounts) {
      const destination = posix.resolve(workdir, mount.target ?? '');
      if (mount.type === 'cache') {
        const id = createHash('sha256')
          .update(mount.id ?? destination)
          .digest('hex')
          .slice(0, 32);
        mounts.push({
          type: 'cache',
          destination,
          id,
          readOnly: mount.readOnly ?? false,
          mode: mount.mode ?? 0o755,
          uid: mount.uid ?? 0,
          gid: mount.gid ?? 0,
        });
      } else if (mount.type === 'tmpfs') {
        mounts.push({ type: 'tmpfs', destination, ...(mount.size ? { size: mount.size } : {}) });
      } else if (mount.type === 'bind') {
        // From the context, what .dockerignore keeps of it (contextBindSource.ts), as the key selected it.
        const selected = (await this.boundFiles(instruction, ctx))[binds++]!;
        const shown =
          mount.from === undefined
            ? contextBindSource(
                ctx.request.contextDir,
                selected.match,
                ctx.ignores,
                join(ctx.buildDir, `bind-${randomBytes(4).toString('hex')}`),
              )
            : {
                path: resolveInRoot(await this.sourceRootOf(mount.from, ctx), mount.source ?? '/', true),
                release: async () => undefined,
              };
        views.push(shown);
        mounts.push({ type: 'bind', destination, source: shown.path, readOnly: mount.readOnly ?? false });
      } else if (mount.type === 'secret') {
        const use = secretUse(mount);
        const value = ctx.request.secrets?.[use.id];
        if (value === undefined) {
          // BuildKit: a secret not given is left out, unless the mount says it is required.
          if (use.required)
            throw new StevedoreError('NOT_FOUND', `secret ${use.id}: not provided (give it with --secret id=${use.id},src=FILE)`);
          continue;
        }
        if (use.env !== undefined) env.push(`${use.env}=${value.toString('utf8')}`);
        if (use.target !== undefined) {
          mounts.push({
            type: 'secret',
            destination: posix.resolve(workdir, use.target),
            value,
            mode: use.mode,
            uid: use.uid,
            gid: use.gid,
          });
        }
      } else if (mount.type === 'ssh') {
        const use = sshUse(mount, sshMounts++);
        const socket = ctx.request.ssh?.[use.id];
        if (socket === undefined) {
          // BuildKit: an agent not given is left out, unless the mount says it is required.
          if (use.required) throw new StevedoreError('NOT_FOUND', `ssh ${use.id}: not provided (give it with --ssh ${use.id})`);
          continue;
        }
        const target = posix.resolve(workdir, use.target);
        // LLB's exec op: SSH_AUTH_SOCK is the first agent's, unless the step's environment has one.
        const named = (e: string) => e.startsWith('SSH_AUTH_SOCK=');
        if (!instruction.env.some(named) && !env.some(named)) env.push(`SSH_AUTH_SOCK=${target}`);
        mounts.push({ type: 'socket', destination: target, source: socket });
      } else {
        throw new StevedoreError('INVALID_ARGUMENT', `RUN --mount=type=${mount.type} is not supported yet`);
      }
    }
    return mounts;
  }

  /** A stage or an image (COPY --from, RUN --mount from), as a directory to read from. */
  private async sourceRootOf(from: CopySource, ctx: StageContext): Promise<string> {
    return (await this.rootfsOf(await this.sourceStateOf(from, ctx), ctx)) ?? emptyDir(ctx);
  }

  private async sourceStateOf(from: CopySource, ctx: StageContext): Promise<BuildState> {
    return from.kind === 'stage'
      ? await ctx.results.get(from.index)!
      : await this.baseState({ base: { kind: 'image', ref: from.ref } } as Stage, ctx);
  }

  /** The owners a state's layers give its paths, when this engine is not root (else its snapshots say). */
  private async ownersWithoutRoot(state: BuildState): Promise<Map<string, Owner> | undefined> {
    if (process.getuid?.() === 0) return undefined;
    return layerOwners(this.deps.store, state.layers);
  }

  /**
   * What a COPY or ADD takes, and the checksum its cache key needs: worked out once per step (the
   * key and the copy both ask), and without the stage's own root filesystem, which only the copy
   * needs (to resolve --chown names; the key has the --chown text already).
   */
  private copySelection(parent: BuildState, instruction: CopyInstruction | AddInstruction, ctx: StageContext) {
    let selection = ctx.selections.get(instruction);
    if (!selection) {
      selection = this.selectCopySources(parent, instruction, ctx);
      ctx.selections.set(instruction, selection);
    }
    return selection;
  }

  private async selectCopySources(
    parent: BuildState,
    instruction: CopyInstruction | AddInstruction,
    ctx: StageContext,
  ): Promise<CopySelection> {
    const workdir = parent.config.config?.WorkingDir || '/';
    // BuildKit's pathRelativeToWorkingDir: `.` is `./`, and a trailing `/` or `/.` is kept (a directory).
    const written = instruction.dest === '.' || instruction.dest === '' ? './' : instruction.dest;
    const joined = posix.isAbsolute(written) ? posix.normalize(written) : posix.join(workdir, written);
    const dest = /\/\.?$/.test(written) && !joined.endsWith('/') ? `${joined}/` : joined;
    const from = instruction.kind === 'COPY' ? instruction.from : undefined;
    const sourceRoot = from ? await this.sourceRootOf(from, ctx) : ctx.request.contextDir;
    if (instruction.kind === 'ADD' && instruction.sources.some(isUrlSource)) {
      return this.selectUrlSources(instruction, dest, ctx);
    }
    if (instruction.kind === 'ADD' && instruction.checksum !== undefined) {
      throw new StevedoreError('INVALID_ARGUMENT', 'ADD --checksum needs an http or https URL as its source');
    }
    const request: CopyRequest = {
      sourceRoot,
      fromRootfs: from !== undefined,
      ...(from ? {} : { ignore: ctx.ignores }),
      sources: instruction.sources,
      inline: instruction.inline,
      dest,
      ...(instruction.chmod ? { mode: Number.parseInt(instruction.chmod, 8) } : {}),
    };
    return { request, ...selectSources(request) };
  }

  /** ADD of URLs: each fetched into the build's directory (urlSources.ts), then copied from there. */
  private async selectUrlSources(instruction: AddInstruction, dest: string, ctx: StageContext): Promise<CopySelection> {
    const urls = instruction.sources.filter(isUrlSource);
    if (urls.length !== instruction.sources.length || instruction.inline.length > 0) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        'ADD cannot mix URLs and local sources in one line yet: give each its own ADD',
      );
    }
    if (instruction.checksum !== undefined && urls.length > 1) {
      throw new StevedoreError('INVALID_ARGUMENT', 'ADD --checksum can be given for one URL only');
    }
    if (!this.deps.fetchUrl) throw new StevedoreError('UNREACHABLE', 'this engine cannot fetch URLs for ADD');
    const dir = join(ctx.buildDir, `url-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir);
    const names = await fetchUrlSources(urls, instruction.checksum, dir, this.deps.fetchUrl, ctx.request.signal);
    const request: CopyRequest = {
      sourceRoot: dir,
      fromRootfs: false,
      sources: names,
      inline: [],
      dest,
      ...(instruction.chmod ? { mode: Number.parseInt(instruction.chmod, 8) } : {}),
    };
    return { request, fromUrl: true, ...selectSources(request) };
  }

  private async copy(
    parent: BuildState,
    instruction: CopyInstruction | AddInstruction,
    ctx: StageContext,
    key: string,
    history: HistoryEntry,
  ): Promise<BuildState> {
    const selection = await this.copySelection(parent, instruction, ctx);
    const rootfs = await this.rootfsOf(parent, ctx);
    // Without root the snapshots' files are all the user's: owners come from the layers instead.
    const asImage = await this.ownersWithoutRoot(parent);
    const info = imageInfo(rootfs, asImage);
    const owner = instruction.chown ? resolveUser(rootfs ?? emptyDir(ctx), instruction.chown) : undefined;
    const request: CopyRequest = {
      ...selection.request,
      dest: realDest(rootfs, selection.request.dest),
      ...(owner ? { owner: { uid: owner.uid, gid: owner.gid } } : {}),
    };
    const staging = join(ctx.buildDir, `copy-${randomBytes(4).toString('hex')}`);
    mkdirSync(staging, { recursive: true });
    const recorded = asImage ? recordedOwners(staging) : undefined;
    const from = instruction.kind === 'COPY' ? instruction.from : undefined;
    const matches =
      asImage && from !== undefined
        ? ownedAsSource(
            selection.matches,
            selection.request.sourceRoot,
            await this.ownersWithoutRoot(await this.sourceStateOf(from, ctx)),
          )
        : selection.matches;
    try {
      // ADD unpacks a local tar (plain or compressed) into the destination directory.
      const archives: { match: SourceMatch; kind: ArchiveKind }[] = [];
      // A URL's file is never unpacked (the Dockerfile reference, BuildKit's dockerfile2llb).
      for (const match of instruction.kind === 'ADD' && !selection.fromUrl ? matches : []) {
        const kind = match.info.isFile() ? await archiveKind(match.from) : undefined;
        if (kind) archives.push({ match, kind });
      }
      const copied = matches.filter((m) => !archives.some((a) => a.match === m));
      const paths = new Set<string>();
      const dir = request.dest.replace(/\/\.?$/, '');
      for (const archive of archives) {
        for (const path of stageSelection({ ...request, dest: `${dir}/`, inline: [] }, [], staging, info, recorded?.set))
          paths.add(path);
        await extractArchive(archive.match.from, archive.kind, join(staging, dir));
      }
      for (const path of archives.length > 0 ? walkRelative(staging) : []) paths.add(path);
      for (const path of stageSelection(request, copied, staging, info, recorded?.set)) paths.add(path);
      return await this.withLayer(parent, parent.config, key, staging, [...paths], history, ctx, [], recorded?.owners);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }

  private async withLayer(
    parent: BuildState,
    config: ImageConfig,
    key: string,
    dir: string,
    changed: string[],
    history: HistoryEntry,
    ctx: StageContext,
    deleted: string[] = [],
    owners?: Map<string, Owner>,
  ): Promise<BuildState> {
    // The build's lease holds the layer until the image that names it is committed.
    const tar = createLayerTar(
      dir,
      { changed, deleted },
      { ...(ctx.epoch !== undefined ? { sourceDateEpoch: ctx.epoch } : {}), ...(owners ? { owners } : {}) },
    );
    return this.withStoredLayer(parent, config, key, await storeLayerTar(this.deps.store, ctx.lease, tar), history);
  }

  /** The state after a step whose layer is in the store already. */
  private withStoredLayer(
    parent: BuildState,
    config: ImageConfig,
    key: string,
    { descriptor, diffId }: BuiltLayer,
    history: HistoryEntry,
  ): BuildState {
    return {
      key,
      config: {
        ...config,
        rootfs: { type: 'layers', diff_ids: [...config.rootfs.diff_ids, diffId] },
        history: [...(config.history ?? []), history],
      },
      layers: [...parent.layers, { descriptor, diffId }],
      ...(parent.cmdSet ? { cmdSet: true } : {}),
    };
  }
}

type CopySelection = ReturnType<typeof selectSources> & { request: CopyRequest; fromUrl?: boolean };

interface StageContext {
  /** Held until the build ends: the images it reads, the layers it makes, their snapshots. */
  lease: Lease;
  /** The images the build reads, by reference as written and platform (imageKey): found and leased once. */
  images: Map<string, Promise<ImageRecord>>;
  /** COPY and ADD selections of this build, by instruction (see copySelection). */
  selections: WeakMap<Instruction, Promise<CopySelection>>;
  /** What RUN steps' bind mounts show them, by instruction (see boundFiles). */
  boundFiles: WeakMap<Instruction, Promise<BindSelection[]>>;
  label: string;
  results: Map<number, Promise<BuildState>>;
  request: BuildRequest;
  ignores: IgnoreMatcher;
  /** `NAME=value` of the predefined proxy build args given (HTTP_PROXY …). */
  proxyEnv: string[];
  epoch: number | undefined;
  nextStep: () => number;
  observer: BuildObserver;
  buildDir: string;
}

/** An image the build reads, by name and the platform it is read for. */
function imageKey(ref: string, platform: Platform | undefined): string {
  return platform ? `${ref}|${formatPlatform(platform)}` : ref;
}

/** Stops the build before any step when a stage that RUNs is of a platform this machine cannot run (foreignPlatform.ts). */
function refuseForeignRuns(stages: Stage[], platform: Platform | undefined): void {
  const platforms = new Map<number, Platform | undefined>();
  for (const stage of stages) {
    const own = stage.from.platform ?? (stage.base.kind === 'stage' ? platforms.get(stage.base.index) : undefined) ?? platform;
    platforms.set(stage.index, own);
    if (!own || !stage.instructions.some((i) => i.kind === 'RUN')) continue;
    const problem = foreignRunProblem(own);
    if (problem) throw new StevedoreError('INVALID_ARGUMENT', problem);
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StevedoreError('CANCELLED', 'the build was cancelled');
}

/** What the stage's image has at a path, for COPY's staging: nothing at all on scratch. */
function imageInfo(rootfs: string | undefined, owners?: Map<string, Owner>): ImageInfo {
  if (!rootfs) return () => undefined;
  return (path, follow) => {
    const real = resolveInRoot(rootfs, path, follow);
    const info = lstatOrUndefined(real);
    return info && owners ? ownedAsImage(info, relative(rootfs, real).split(sep).join('/'), owners) : info;
  };
}

/** COPY --from's sources with the owners the source's layers give them (see ownersWithoutRoot). */
function ownedAsSource(matches: SourceMatch[], root: string, owners: Map<string, Owner> | undefined): SourceMatch[] {
  if (!owners) return matches;
  const path = (from: string) => relative(root, from).split(sep).join('/');
  return matches.map((m) => ({
    ...m,
    info: ownedAsImage(m.info, path(m.from), owners),
    entries: m.entries.map((e) => ({ ...e, info: ownedAsImage(e.info, path(e.from), owners) })),
  }));
}

/**
 * The destination with the links the image has on its way resolved inside the image, as
 * BuildKit's fs.RootPath does (`/var/run/x` over `var/run -> /run` is `/run/x`): a layer must
 * not put a directory where the image has a link. A trailing `/` or `/.` is kept.
 */
function realDest(rootfs: string | undefined, dest: string): string {
  if (!rootfs) return dest;
  const real = `/${relative(rootfs, resolveInRoot(rootfs, dest, true))
    .split(sep)
    .join('/')}`;
  const tail = /\/\.?$/.exec(dest)?.[0] ?? '';
  return real === '/' ? '/' : `${real}${tail}`;
}

/** The root a stage or image with no layers (scratch) reads as: an empty directory of the build's. */
function emptyDir(ctx: StageContext): string {
  const dir = join(ctx.buildDir, 'empty');
  mkdirSync(dir, { recursive: true });
  return dir;
}
