import { EventEmitter } from 'node:events';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BuildRequestArgs } from './api/builds.schema.js';
import type { ContainerSummary, RunRequest } from './api/containers.schema.js';
import type { Dag } from './api/dag.schema.js';
import type { EventPayload, EventTopic } from './api/events.schema.js';
import type { ImageDetail, ImageSummary, ImageUse, LoadResult, PruneResult, RemoveResult } from './api/images.schema.js';
import type { ImageComparison, ImageDiff } from './api/layers.schema.js';
import type { PullResult, PushResult } from './api/registry.schema.js';
import type { Handlers } from './api/router.js';
import type { DiskUsage, EngineInfo, FsckReport, GcReport } from './api/store.schema.js';
import { loadImages } from './archive/load.js';
import { type SaveSelection, saveImages } from './archive/save.js';
import { BuildCache } from './builder/buildCache.js';
import type { Builder, BuildObserver, BuildRequest, BuildResult } from './builder/builder.js';
import { BuildHistory } from './builder/buildHistory.js';
import { readSecretFiles } from './builder/buildSecrets.js';
import { imageForPlatform } from './builder/platformImage.js';
import { sourceDateEpochFrom } from './builder/reproducible.js';
import { buildDag, onlyFrom } from './dag/dag.js';
import { describeError, StevedoreError } from './errors.js';
import { describeImage } from './images/detail.js';
import { ImageFactsCache } from './images/imageFacts.js';
import { displayName } from './images/imageName.js';
import { blobsFreedBy, pruneCandidates } from './images/imagePrune.js';
import { type ImageRecord, ImageRecords } from './images/imageRecords.js';
import { summarize } from './images/summaries.js';
import { compareImages, diffImage, layerTree } from './layers/imageDiff.js';
import { formatPlatform, hostPlatform, parsePlatform } from './oci/platform.js';
import { familiarReference, formatReference, parseReference, parseTaggedReference } from './oci/reference.js';
import type { PullRequest, Registries } from './registry/registries.js';
import type { SecretCipher } from './registry/sealedCredentials.js';
import { findCliScript } from './runtime/cliScript.js';
import type { ContainerCopyBackend } from './runtime/containerCopy.js';
import { journalContainerChange, journaledVolumes } from './runtime/containerEvents.js';
import type { ContainerExtrasBackend } from './runtime/containerExtras.js';
import { containerIds, containerPaths } from './runtime/containerRecord.js';
import type { ContainersDeps } from './runtime/containers.js';
import { watchContainers } from './runtime/containerWatcher.js';
import { withEnvFiles } from './runtime/envFiles.js';
import { imageToRun } from './runtime/imageToRun.js';
import { NativeRuntime } from './runtime/nativeRuntime.js';
import type { NetworkBackend } from './runtime/network/networkBackend.js';
import type { ContainerAttacher, ContainerControls, RuntimeBackend, VolumeBackend } from './runtime/runtimeBackend.js';
import { fsckSnapshots } from './snapshots/snapshotFsck.js';
import { liveChainIds, SnapshotStore, sharedLayerCount } from './snapshots/snapshotStore.js';
import { unpackToDirectory } from './snapshots/unpackToDirectory.js';
import { directoryBytes } from './store/diskUsage.js';
import { recordEvent } from './store/eventJournal.js';
import { checkStore } from './store/fsck.js';
import { collectGarbage, listBlobs, markReachable } from './store/gc.js';
import { addUntagged, removeDigest, removeRef, setRef } from './store/refs.js';
import { Store } from './store/store.js';
import { watchIndex } from './store/storeWatcher.js';
import { VERSION } from './version.js';

/** What a runtime other than the native one is made with (core/vm's, for a machine). */
export interface RuntimeContext {
  engine: Engine;
  native: NativeRuntime;
  /** What the native runtime was made with (the rootless runtime is the native one in a user namespace). */
  containersDeps: ContainersDeps;
  /** Reports a container's change as the engine's `containers.changed` event. */
  changed: (id: string, reason: string) => void;
}

/**
 * The one object every face calls: it owns the store and emits typed events (transfer progress,
 * image changes). The CLI, the Electron main process and the web server each hold one.
 */
export class Engine {
  readonly store: Store;
  readonly snapshots: SnapshotStore;
  private readonly records: ImageRecords;
  private readonly imageFacts: ImageFactsCache;
  private readonly events = new EventEmitter();
  /** Pulls, pushes, logins, tags and catalogs; the transfers running and their cancel switches. */
  private registriesLoaded?: Promise<Registries>;
  private registriesReady?: Registries;
  private readonly secrets: SecretCipher | undefined;

  /** Whatever runs containers, and the app's terminals into them: runc here, or a machine's agent. */
  readonly runtime: RuntimeBackend;
  /**
   * Containers run on this machine, whichever runtime the engine drives: their snapshots are the
   * host store's, so gc and fsck keep what they use (none when the runtime is a machine's).
   */
  private readonly native: NativeRuntime;
  private readonly runtimeReason: string;
  /** Dockerfile builds and their cache, and the builds the app started, kept. */
  readonly buildCache: BuildCache;
  /** Loaded at the first build: the Dockerfile front end is not every command's start-up cost. */
  private builderLoaded?: Promise<Builder>;
  readonly builds: BuildHistory;
  /** The builds this engine runs, by ID, with their cancel switches. */
  private readonly runningBuilds = new Map<string, AbortController>();

  /**
   * `secrets`: the window's keychain (Electron safeStorage), to seal the logins the app saves.
   * `cli`: how to run the stevedore CLI (conmon runs `CLI --root R container-cleanup ID` when a
   * container ends); found from the running script when not given.
   * `runtime`: makes the runtime from the engine and the native one (a face chooses: native as
   * root on Linux, else a machine's); the native one when not given.
   */
  constructor(
    root: string,
    options: {
      secrets?: SecretCipher;
      cli?: string[];
      runtime?: (context: RuntimeContext) => RuntimeBackend;
      /** Why this runtime (for `info` and the app): the face's choice. */
      runtimeReason?: string;
    } = {},
  ) {
    this.store = Store.open(root);
    this.snapshots = new SnapshotStore(this.store);
    const deps: ContainersDeps = {
      store: this.store,
      snapshots: this.snapshots,
      resolveImage: (ref, platform) => imageToRun(this.records, ref, platform),
      cleanupCommand: () => [...(options.cli ?? defaultCli()), '--root', this.store.root, 'container-cleanup'],
      healthCheckCommand: () => [...(options.cli ?? defaultCli()), '--root', this.store.root, 'container-healthcheck'],
      changed: (id, reason, record) => {
        journalContainerChange(this.store.root, id, reason, record);
        this.emit('containers.changed', { id, reason });
      },
    };
    this.native = new NativeRuntime(deps);
    this.runtimeReason = options.runtimeReason ?? 'the engine was made with the native runtime';
    this.runtime =
      options.runtime?.({ engine: this, native: this.native, containersDeps: deps, changed: deps.changed }) ?? this.native;
    this.buildCache = new BuildCache(this.store);
    this.builds = new BuildHistory(this.store.root);
    this.records = new ImageRecords(this.store);
    this.imageFacts = new ImageFactsCache(this.store, this.records);
    this.events.setMaxListeners(0);
    this.secrets = options.secrets;
  }

  /**
   * Pulls, pushes, logins, tags and catalogs; the transfers running and their cancel switches.
   * Loaded at first use: HTTP, TLS and the registry client are not every command's start-up cost.
   */
  registries(): Promise<Registries> {
    this.registriesLoaded ??= import('./registry/registries.js').then(({ Registries }) => {
      this.registriesReady = new Registries(
        this.store,
        {
          progress: (event) => this.emit('transfer.progress', event),
          ended: (status) => this.emit('transfer.ended', status),
        },
        {},
        this.secrets,
      );
      return this.registriesReady;
    });
    return this.registriesLoaded;
  }

  /** Lets go of registry connections (keep-alive sockets), if any were made, so the process can end. */
  closeConnections(): void {
    this.registriesReady?.close();
  }

  /** For a long-lived face that stops: ends the app's terminal sessions and lets go of connections. */
  close(): void {
    this.runtime.close();
    this.native.close();
    this.closeConnections();
  }

  on<T extends EventTopic>(topic: T, listener: (payload: EventPayload<T>) => void): () => void {
    this.events.on(topic, listener);
    return () => this.events.off(topic, listener);
  }

  /**
   * For long-lived faces (the window, the web server): report changes other processes make to
   * the store as `images.changed`. Returns the function that stops watching.
   */
  watchStore(): () => void {
    // The one start-up hook of the long-lived faces (window, `ui`, `daemon`, a machine's agent),
    // never of a one-shot command: containers whose restart policy wants them up start again.
    if (this.runtime instanceof NativeRuntime) void this.runtime.containers.restartAtEngineStart().catch(() => undefined);
    const stopIndex = watchIndex(this.store.layout, () => this.emit('images.changed', { reason: 'store' }));
    const stopContainers = watchContainers(this.store.root, (id) => this.emit('containers.changed', { id, reason: 'observed' }));
    return () => {
      stopIndex();
      stopContainers();
    };
  }

  /** An image event in the store's journal (`stevedore events`), named as docker names them. */
  private recordImageEvent(action: string, id: string, name?: string): void {
    const shown = (ref: string) => {
      if (ref.startsWith('sha256:')) return ref;
      try {
        return familiarReference(parseReference(ref));
      } catch {
        return ref;
      }
    };
    recordEvent(this.store.root, {
      Type: 'image',
      Action: action,
      id: shown(id),
      ...(name ? { attributes: { name: shown(name) } } : {}),
    });
  }

  private emit<T extends EventTopic>(topic: T, payload: EventPayload<T>): void {
    this.events.emit(topic, payload);
  }

  info(): EngineInfo {
    return {
      version: VERSION,
      root: this.store.root,
      platform: formatPlatform(hostPlatform()),
      runtime: this.runtime.kind,
      runtimeReason: this.runtimeReason,
    };
  }

  listImages(): ImageSummary[] {
    return summarize(this.imageFacts.list());
  }

  /**
   * The image `ref` names, as a container would run it (an ID several manifests share is one image:
   * what runs is the config's); with `platform` (run --platform), that platform's, refused when the
   * host cannot run it.
   */
  resolveImage(ref: string, platform?: string): ImageRecord {
    return imageToRun(this.records, ref, platform);
  }

  inspectImage(ref: string): ImageDetail {
    const image = this.records.resolve(ref);
    return describeImage(this.store, image, this.records.all().images);
  }

  async tagImage(source: string, target: string): Promise<{ reference: string }> {
    const image = this.records.resolve(source);
    const reference = formatReference(parseTaggedReference(target));
    await this.store.updateIndex((index) => setRef(index, reference, image.top));
    this.recordImageEvent('tag', image.configDigest, reference);
    this.emit('images.changed', { reason: 'tag' });
    return { reference };
  }

  /** Like `docker rmi`: a name untags; an ID removes the image (with force when it has several names). */
  async removeImages(refs: string[], force = false): Promise<RemoveResult> {
    const inUse = await this.runtime.imagesInUse();
    const runningUsers = new Map<string, string[]>();
    if (force && inUse.size > 0) {
      for (const c of await this.runtime.list(false))
        runningUsers.set(c.imageId, [...(runningUsers.get(c.imageId) ?? []), c.name]);
    }
    const targets = refs.map((text) => {
      const image = this.records.resolve(text);
      let byName: string | undefined;
      try {
        const full = formatReference(parseReference(text));
        if (image.refs.includes(full)) byName = full;
      } catch {
        byName = undefined;
      }
      const users = inUse.get(image.configDigest);
      // docker's rmi -f of an image that stopped containers use takes its names and leaves them;
      // the image stays here, unnamed, since their files come from it. A running one: never.
      const keepForContainers = users !== undefined && (!byName || image.refs.length === 1);
      if (keepForContainers && force) {
        const running = runningUsers.get(image.configDigest);
        if (running) {
          throw new StevedoreError(
            'CONFLICT',
            `image ${text} is used by running container${running.length > 1 ? 's' : ''} ${running.join(', ')}: stop ${running.length > 1 ? 'them' : 'it'} first`,
          );
        }
      } else if (keepForContainers) {
        throw new StevedoreError(
          'CONFLICT',
          `image ${text} is used by container${users.length > 1 ? 's' : ''} ${users.join(', ')}: remove ${users.length > 1 ? 'them' : 'it'} first`,
        );
      }
      if (!byName && image.refs.length > 1 && !force) {
        throw new StevedoreError(
          'CONFLICT',
          `image ${text} has several names (${image.refs.join(', ')}); remove them by name or use --force`,
        );
      }
      return { image, byName, keepForContainers };
    });
    const result: RemoveResult = { untagged: [], deleted: [] };
    await this.store.updateIndex((index) => {
      for (const { image, byName, keepForContainers } of targets) {
        if (byName) {
          const removed = removeRef(index, byName);
          if (!removed) continue;
          result.untagged.push(byName);
          if (keepForContainers) addUntagged(index, image.top);
          else if (!removed.stillPresent) result.deleted.push(image.configDigest);
        } else if (index.manifests.some((d) => d.digest === image.top.digest)) {
          result.untagged.push(...removeDigest(index, image.top.digest));
          if (keepForContainers) addUntagged(index, image.top);
          else result.deleted.push(image.configDigest);
        }
      }
    });
    if (result.deleted.length > 0) await this.gc(false);
    for (const name of result.untagged) this.recordImageEvent('untag', name, name);
    for (const id of result.deleted) this.recordImageEvent('delete', id);
    this.emit('images.changed', { reason: 'remove' });
    return result;
  }

  /** The images containers stand on, with those containers' names. */
  async imagesInUse(): Promise<ImageUse[]> {
    return [...(await this.runtime.imagesInUse())].map(([id, containers]) => ({ id, containers }));
  }

  /**
   * `image prune`: dangling images (with `all`, every image no container uses) leave the index,
   * then the garbage goes. The bytes are the blobs only those images reached, known before.
   */
  async pruneImages(options: { all?: boolean | undefined; dryRun?: boolean | undefined } = {}): Promise<PruneResult> {
    const dryRun = options.dryRun === true;
    const images = this.records.all().images;
    const dropped = pruneCandidates(images, await this.runtime.imagesInUse(), options.all === true);
    const kept = images.filter((image) => !dropped.includes(image));
    const reclaimedBytes = blobsFreedBy(this.store, kept, dropped, this.buildCache.referencedBlobs());
    const result: PruneResult = {
      dryRun,
      images: dropped.map((image) => ({
        id: image.configDigest,
        names: image.refs.map((r) => familiarReference(parseReference(r))),
      })),
      reclaimedBytes,
    };
    if (dryRun || dropped.length === 0) return result;
    await this.store.updateIndex((index) => {
      for (const image of dropped) removeDigest(index, image.top.digest);
    });
    await this.gc(false);
    this.emit('images.changed', { reason: 'remove' });
    return result;
  }

  /** `system df`: blobs, unpacked snapshots, what containers wrote, and what only the build cache keeps. */
  diskUsage(): DiskUsage {
    const blobs = listBlobs(this.store);
    const blobBytes = blobs.reduce((sum, digest) => sum + (this.store.blobSize(digest) ?? 0), 0);
    const snapshotNames = listDir(this.snapshots.dir).filter((name) => !name.startsWith('.'));
    const snapshotBytes = snapshotNames.reduce((sum, name) => sum + directoryBytes(join(this.snapshots.dir, name)), 0);
    const ids = containerIds(this.store.root);
    const containerBytes = ids.reduce((sum, id) => sum + directoryBytes(containerPaths(this.store.root, id).dir), 0);
    const byImages = markReachable(this.store);
    const cacheOnly = new Set(this.buildCache.referencedBlobs().filter((digest) => !byImages.has(digest)));
    const cacheBytes = [...cacheOnly].reduce((sum, digest) => sum + (this.store.blobSize(digest) ?? 0), 0);
    return {
      blobs: { count: blobs.length, bytes: blobBytes },
      snapshots: { count: snapshotNames.length, bytes: snapshotBytes },
      containers: { count: ids.length, bytes: containerBytes },
      buildCache: { count: this.buildCache.count(), bytes: cacheBytes },
      // The build cache's bytes are blobs, counted there already.
      totalBytes: blobBytes + snapshotBytes + containerBytes,
    };
  }

  async loadImages(path: string, name?: string, transferId?: string): Promise<LoadResult> {
    const result = await loadImages(this.store, path, {
      ...(name ? { name } : {}),
      ...(transferId ? { transferId } : {}),
      onProgress: (event) => this.emit('transfer.progress', event),
    });
    this.emit('images.changed', { reason: 'load' });
    return result;
  }

  async saveImages(refs: string[], output: string): Promise<{ output: string }> {
    const byImage = new Map<string, SaveSelection>();
    for (const text of refs) {
      const image = this.records.resolve(text);
      const entry = byImage.get(image.top.digest) ?? { image, refs: [] };
      try {
        const full = formatReference(parseReference(text));
        if (image.refs.includes(full) && !entry.refs.includes(full)) entry.refs.push(full);
      } catch {
        // asked for by ID: saved without a name
      }
      byImage.set(image.top.digest, entry);
    }
    await saveImages(this.store, [...byImage.values()], output);
    return { output };
  }

  /** `stevedore unpack`: the image's root filesystem in `dir`. Returns notes on what was skipped. */
  async unpackImage(ref: string, dir: string, options: { maxBytes?: number } = {}): Promise<string[]> {
    const image = this.records.resolve(ref);
    const keepLayers = sharedLayerCount(image, this.records.all().images);
    return unpackToDirectory(this.snapshots, image, dir, { ...options, keepLayers });
  }

  /** `stevedore run` without -d: the container's output on this terminal; resolves to its exit code. */
  /** conmon's exit command (`container-cleanup`): records a native container's end and gives back what it held. */
  async settleContainerExit(id: string): Promise<void> {
    await this.native.containers.settleExit(id);
    // conmon's exit command runs once per run: the one place each end's restart is decided.
    await this.native.containers.applyRestartPolicy(id);
  }

  /**
   * The runtime's volumes. A machine's live in its guest's store, where its engine runs the
   * containers; until its runtime forwards them they are refused here, saying so.
   */
  volumes(): VolumeBackend {
    if (this.runtime.volumes) return journaledVolumes(this.store.root, this.runtime.volumes);
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `volumes of the ${this.runtime.kind} runtime are kept where it runs containers (a machine's in its own store) and cannot be managed from here yet`,
    );
  }

  /** The runtime's networks, where it has them (the same refusal as volumes otherwise). */
  networks(): NetworkBackend {
    if (this.runtime.networks) return this.runtime.networks;
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `networks of the ${this.runtime.kind} runtime are kept where it runs containers and cannot be managed from here yet`,
    );
  }

  /** pause, unpause and stats, where the runtime has them (the same refusal as volumes otherwise). */
  containerControls(): ContainerControls {
    if (this.runtime.controls) return this.runtime.controls;
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `pause, unpause and stats are not available through the ${this.runtime.kind} runtime yet`,
    );
  }

  /** `cp`'s archives of a container's files, where the runtime has them (the same refusal as volumes otherwise). */
  containerCopy(): ContainerCopyBackend {
    if (this.runtime.copy) return this.runtime.copy;
    throw new StevedoreError('INVALID_ARGUMENT', `cp is not available through the ${this.runtime.kind} runtime yet`);
  }

  /** docker create, where the runtime can make a container without starting it. */
  async createContainer(request: RunRequest): Promise<ContainerSummary> {
    if (!this.runtime.create) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `create is not available through the ${this.runtime.kind} runtime yet; use run`,
      );
    }
    return this.runtime.create(request);
  }

  /** rename, top and diff of a container, where the runtime has them (the same refusal as volumes otherwise). */
  containerExtras(): ContainerExtrasBackend {
    if (this.runtime.extras) return this.runtime.extras;
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `rename, top and diff are not available through the ${this.runtime.kind} runtime yet`,
    );
  }

  /** `attach`, where the runtime has it (the same refusal as controls otherwise). */
  containerAttacher(): ContainerAttacher {
    if (this.runtime.attacher) return this.runtime.attacher;
    throw new StevedoreError('INVALID_ARGUMENT', `attach is not available through the ${this.runtime.kind} runtime yet`);
  }

  /** The app's Files tab: browse and download a container's files, where the runtime has them (its diff is containerExtras'). */
  containerFiles(): Required<Pick<ContainerCopyBackend, 'list' | 'readFile'>> {
    const copy = this.runtime.copy;
    if (copy?.list && copy.readFile) return { list: copy.list.bind(copy), readFile: copy.readFile.bind(copy) };
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `a container's files are not available through the ${this.runtime.kind} runtime yet`,
    );
  }

  async runAttached(request: RunRequest): Promise<number> {
    return this.runtime.runAttached(request);
  }

  async openTerminal(args: {
    id: string;
    command?: string[] | undefined;
    cols: number;
    rows: number;
    tty?: boolean | undefined;
    env?: string[] | undefined;
    user?: string | undefined;
    workdir?: string | undefined;
  }): Promise<{ sessionId: string }> {
    const sessionId = await this.runtime.openSession(
      args.id,
      {
        command: args.command ?? ['/bin/sh'],
        cols: args.cols,
        rows: args.rows,
        ...(args.tty !== undefined ? { tty: args.tty } : {}),
        ...(args.env !== undefined ? { env: args.env } : {}),
        ...(args.user !== undefined ? { user: args.user } : {}),
        ...(args.workdir !== undefined ? { workdir: args.workdir } : {}),
      },
      {
        output: (id, data, stream) => this.emit('terminal.output', { sessionId: id, data, ...(stream ? { stream } : {}) }),
        exited: (id, exitCode) => this.emit('terminal.exited', { sessionId: id, exitCode }),
      },
    );
    return { sessionId };
  }

  private builder(): Promise<Builder> {
    this.builderLoaded ??= import('./builder/builder.js').then(
      ({ Builder }) =>
        new Builder({
          store: this.store,
          snapshots: this.snapshots,
          cache: this.buildCache,
          localImage: (ref, platform) => {
            try {
              return imageForPlatform(this.records, this.records.resolve(ref), platform);
            } catch {
              return undefined;
            }
          },
          image: async (ref, options) => {
            const platform = options?.platform;
            // `build --pull`: the registry is asked even when the store has the image.
            if (!options?.pull) {
              try {
                const found = imageForPlatform(this.records, this.records.resolve(ref), platform);
                if (found) return found;
              } catch (err) {
                if ((err as StevedoreError).code !== 'IMAGE_NOT_FOUND') throw err;
              }
            }
            await this.pullImage({ ref, ...(platform ? { platform: formatPlatform(platform) } : {}) });
            const pulled = imageForPlatform(this.records, this.records.resolve(ref), platform);
            if (!pulled) throw new StevedoreError('IMAGE_NOT_FOUND', `${ref} has no image for ${formatPlatform(platform)}`);
            return pulled;
          },
          fetchUrl: async (url, signal) => (await this.registries()).fetchUrl(url, signal),
          runBuildStep: (request, onOutput) => this.runtime.runBuildStep(request, onOutput),
        }),
    );
    return this.builderLoaded;
  }

  /** `stevedore build`: the image built from a Dockerfile, its steps reported to `observer`. */
  async build(request: BuildRequest, observer: BuildObserver): Promise<BuildResult> {
    const tags = request.tags.map((t) => formatReference(parseTaggedReference(t)));
    const builder = await this.builder();
    const result = await builder.build({ ...request, tags }, observer);
    this.emit('images.changed', { reason: 'build' });
    return result;
  }

  /**
   * A build kept in the history (the app's Builds view lists those from the CLI too): its steps
   * and output emitted as events and also given to `observer`. `done` settles when it ends.
   */
  recordedBuild(
    args: BuildRequestArgs,
    observer?: BuildObserver,
    /** `--secret`s by id: given to the build, never recorded. */
    secrets?: Record<string, Buffer>,
    /** `--ssh` agent sockets by id: given to the build, never recorded. */
    ssh?: Record<string, string>,
  ): { buildId: string; done: Promise<BuildResult> } {
    const contextDir = resolve(args.contextDir);
    const dockerfile = args.dockerfile ? resolve(contextDir, args.dockerfile) : join(contextDir, 'Dockerfile');
    // Checked before the record exists: a bad SOURCE_DATE_EPOCH must not leave a build "running".
    const epoch = sourceDateEpochFrom();
    const platform = args.platform ? parsePlatform(args.platform) : undefined;
    // The app's secrets are files here, read now: a missing one fails before the build exists.
    const given = args.secretFiles ? { ...readSecretFiles(args.secretFiles), ...secrets } : secrets;
    const build = this.builds.begin({
      contextDir,
      dockerfile,
      tags: args.tags ?? [],
      buildArgs: args.buildArgs ?? {},
      target: args.target ?? null,
      noCache: args.noCache ?? false,
    });
    const { buildId } = build;
    const cancel = new AbortController();
    this.runningBuilds.set(buildId, cancel);
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
          this.builds.step(buildId, step);
          this.emit('build.progress', { buildId, step });
          observer?.step(step);
        },
        output: (step, stream, text) => {
          this.builds.output(buildId, { step, stream, text });
          this.emit('build.output', { buildId, step, stream, text });
          observer?.output(step, stream, text);
        },
      },
    );
    void done.finally(() => this.runningBuilds.delete(buildId)).catch(() => undefined);
    done.then(
      (result) => this.emit('build.ended', this.builds.end(buildId, { imageId: result.imageId })),
      (err: unknown) => this.emit('build.ended', this.builds.end(buildId, { error: describeError(err).message })),
    );
    return { buildId, done };
  }

  /** For the app: the build starts, and its ID comes back at once. */
  startBuild(args: BuildRequestArgs): { buildId: string } {
    const { buildId, done } = this.recordedBuild(args);
    done.catch(() => undefined);
    return { buildId };
  }

  /** Cancels a build this engine runs; false when it runs nowhere here (ended, or another process's). */
  cancelBuild(buildId: string): { cancelled: boolean } {
    const running = this.runningBuilds.get(buildId);
    running?.abort();
    return { cancelled: running !== undefined };
  }

  /** Forgets the build cache, then collects the layers only it kept. */
  async pruneBuildCache(): Promise<{ entries: number; reclaimedBytes: number }> {
    const entries = this.buildCache.prune();
    return { entries, reclaimedBytes: (await this.gc(false)).reclaimedBytes };
  }

  /** Per-layer changes and efficiency, dive's way. */
  async diffImage(ref: string, options: { summary?: boolean } = {}): Promise<ImageDiff> {
    const image = this.records.resolve(ref);
    return diffImage(this.store, image, displayName(image), options);
  }

  async compareImages(left: string, right: string): Promise<ImageComparison> {
    const [l, r] = [this.records.resolve(left), this.records.resolve(right)];
    return compareImages(this.store, l, r, [displayName(l), displayName(r)]);
  }

  async pullImage(request: PullRequest): Promise<PullResult> {
    const result = await (await this.registries()).pull(request);
    this.recordImageEvent('pull', result.reference, result.reference);
    this.emit('images.changed', { reason: 'pull' });
    return result;
  }

  /** Pushes a local image to `target`, or to the registry its own name (`ref`) points at. */
  async pushImage(request: {
    ref: string;
    target?: string | undefined;
    insecure?: boolean | undefined;
    transferId?: string | undefined;
  }): Promise<PushResult> {
    const image = this.records.resolve(request.ref);
    let target = request.target;
    if (!target) {
      let named: string | undefined;
      try {
        named = formatReference(parseReference(request.ref));
      } catch {
        named = undefined;
      }
      if (!named || !image.refs.includes(named)) {
        throw new StevedoreError(
          'INVALID_ARGUMENT',
          `say where to push ${request.ref}: a name such as registry.example:5000/app:tag`,
        );
      }
      target = named;
    }
    return (await this.registries()).push(image, { target, insecure: request.insecure, transferId: request.transferId });
  }

  /** One image's DAG (its nodes still name every image that shares them), or the whole store's. */
  dag(ref?: string): Dag {
    const all = this.records.all().images;
    if (!ref) return buildDag(this.store, all);
    const image = this.records.resolve(ref);
    return onlyFrom(buildDag(this.store, all), image.top.digest);
  }

  /** Blobs no image reaches, and snapshots no image stands on. */
  async gc(dryRun = false): Promise<GcReport> {
    // What the build cache names stays: the next build's CACHED steps need those layers.
    // Snapshots are swept under gc's lock with its leases: a running build's, unpack's or
    // container start's stay.
    return collectGarbage(this.store, {
      dryRun,
      extraRoots: this.buildCache.referencedBlobs(),
      snapshots: (leased) => this.snapshots.prune(liveChainIds(this.records.all().images), leased, dryRun),
    });
  }

  /** Blobs, images, the build cache and the snapshots; `repair` removes corrupt snapshots no container uses. */
  async fsck(repair = false): Promise<FsckReport> {
    const store = await checkStore(this.store);
    const snapshots = await fsckSnapshots(this.store, {
      dir: this.snapshots.dir,
      images: this.records.all().images,
      inUse: await this.native.imagesInUse(),
      cacheStacks: store.cacheStacks,
      corruptBlobs: store.corruptBlobs,
      repair,
    });
    const problems = [...store.problems, ...snapshots.problems];
    return { checked: store.checked, problems, ...(repair ? { repaired: snapshots.repaired } : {}) };
  }

  /** The contract's methods, bound to this engine, for the Router. */
  handlers(): Handlers {
    return {
      'engine.info': async () => this.info(),
      'images.list': async () => this.listImages(),
      'images.inspect': async ({ ref }) => this.inspectImage(ref),
      'images.tag': async ({ source, target }) => this.tagImage(source, target),
      'images.remove': async ({ refs, force }) => this.removeImages(refs, force),
      'images.inUse': async () => this.imagesInUse(),
      'images.prune': async (args) => this.pruneImages(args),
      'images.load': async ({ path, name, transferId }) => this.loadImages(path, name, transferId),
      'images.save': async ({ refs, output }) => this.saveImages(refs, output),
      'images.dag': async ({ ref }) => this.dag(ref),
      'images.diff': async ({ ref, summary }) => this.diffImage(ref, summary === true ? { summary } : {}),
      'images.layerTree': async ({ ref, layer, scope }) => layerTree(this.store, this.records.resolve(ref), layer, scope),
      'images.compare': async ({ left, right }) => this.compareImages(left, right),
      'images.pull': async (args) => this.pullImage(args),
      'images.push': async (args) => this.pushImage(args),
      'transfers.list': async () => (await this.registries()).listTransfers(),
      'transfers.cancel': async ({ transferId }) => (await this.registries()).cancelTransfer(transferId),
      'registry.login': async (args) => (await this.registries()).login(args),
      'registry.logout': async ({ registry }) => (await this.registries()).logout(registry),
      'registry.tags': async ({ repository, insecure }) => (await this.registries()).tags(repository, insecure),
      'registry.catalog': async ({ registry, insecure, limit }) => (await this.registries()).catalog(registry, insecure, limit),
      'registry.list': async () => (await this.registries()).list(),
      'registry.add': async (args) => (await this.registries()).add(args),
      'registry.remove': async ({ registry }) => (await this.registries()).remove(registry),
      'containers.list': async ({ all }) => this.runtime.list(all),
      'containers.inspect': async ({ id }) => this.runtime.inspect(id),
      // The app's Run dialog names env files on this machine; the engine reads them (runtime/envFiles.ts).
      'containers.run': async (request) => this.runtime.run(await withEnvFiles(request)),
      'containers.create': async (request) => this.createContainer(await withEnvFiles(request)),
      'containers.files': async ({ id, path }) => this.containerFiles().list(id, path),
      'containers.diff': async ({ id }) => this.containerExtras().changes(id),
      'containers.rename': async ({ id, name }) => {
        await this.containerExtras().rename(id, name);
        return {};
      },
      'containers.top': async ({ id, psOptions }) => this.containerExtras().top(id, psOptions ?? []),
      'containers.readFile': async ({ id, path }) => this.containerFiles().readFile(id, path),
      'containers.start': async ({ id }) => this.runtime.start(id),
      'containers.stop': async ({ id, timeout }) => this.runtime.stop(id, timeout),
      'containers.restart': async ({ id, timeout }) => this.runtime.restart(id, timeout),
      'containers.kill': async ({ id, signal }) => this.runtime.kill(id, signal),
      'containers.remove': async ({ id, force, volumes }) => this.runtime.remove(id, force, volumes),
      'containers.pause': async ({ id }) => this.containerControls().pause(id),
      'containers.unpause': async ({ id }) => this.containerControls().unpause(id),
      'containers.stats': async ({ ids }) => this.containerControls().stats(ids),
      'volumes.list': async () => this.volumes().list(),
      'volumes.inspect': async ({ name }) => this.volumes().inspect(name),
      'volumes.create': async ({ name, labels }) => this.volumes().create(name, labels),
      'volumes.remove': async ({ name, force }) => {
        await this.volumes().remove(name, force);
        return { name };
      },
      'volumes.prune': async ({ all }) => this.volumes().prune(all),
      'networks.list': async () => this.networks().list(),
      'networks.inspect': async ({ ref }) => this.networks().inspect(ref),
      'networks.create': async (request) => this.networks().create(request),
      'networks.remove': async ({ ref }) => ({ name: await this.networks().remove(ref) }),
      'networks.prune': async () => this.networks().prune(),
      'networks.connect': async ({ network, container, aliases }) => {
        await this.networks().connect(network, container, aliases);
        return {};
      },
      'networks.disconnect': async ({ network, container }) => {
        await this.networks().disconnect(network, container);
        return {};
      },
      'containers.logs': async ({ id, ...options }) => this.runtime.logs(id, options),
      'containers.terminal': async (args) => this.openTerminal(args),
      'runtime.status': async () => ({ ...(await this.runtime.status()), reason: this.runtimeReason }),
      'runtime.machine': async ({ action }) => {
        await this.runtime.controlMachine(action);
        return { ...(await this.runtime.status()), reason: this.runtimeReason };
      },
      'containers.runAttached': async ({ request, sessionId }) => {
        const output = (stream: 'stdout' | 'stderr') => (data: string) =>
          this.emit('terminal.output', { sessionId, data, stream });
        const withFiles = await withEnvFiles(request);
        return { exitCode: await this.runtime.runAttached(withFiles, { stdout: output('stdout'), stderr: output('stderr') }) };
      },
      'terminal.input': async ({ sessionId, data, eof }) => {
        await this.runtime.sessionInput(sessionId, data, eof);
        return {};
      },
      'terminal.resize': async ({ sessionId, cols, rows }) => {
        await this.runtime.resizeSession(sessionId, cols, rows);
        return {};
      },
      'terminal.close': async ({ sessionId }) => {
        await this.runtime.closeSession(sessionId);
        return {};
      },
      'builds.start': async (args) => this.startBuild(args),
      'builds.list': async () => this.builds.list(),
      'builds.inspect': async ({ buildId }) => this.builds.get(buildId),
      'builds.prune': async () => this.pruneBuildCache(),
      'builds.cancel': async ({ buildId }) => this.cancelBuild(buildId),
      'store.gc': async ({ dryRun }) => this.gc(dryRun),
      'store.fsck': async ({ repair }) => this.fsck(repair),
      'store.df': async () => this.diskUsage(),
    };
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** node plus the built CLI script, when this process was not told how to run it. */
function defaultCli(): string[] {
  const script = findCliScript();
  if (!script)
    throw new StevedoreError(
      'INTERNAL',
      'cannot find the stevedore CLI (dist/cli.mjs) to run when a container ends; run `npm run build`',
    );
  return [process.execPath, script];
}
