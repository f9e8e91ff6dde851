import type { BuildRequestArgs } from './api/builds.schema.js';
import type { ContainerSummary, RunRequest } from './api/containers.schema.js';
import type { Dag } from './api/dag.schema.js';
import type { EventPayload, EventTopic } from './api/events.schema.js';
import type { ImageDetail, ImageSummary, ImageUse, LoadResult, PruneResult, RemoveResult } from './api/images.schema.js';
import type { ImageComparison, ImageDiff } from './api/layers.schema.js';
import type { PullResult, PushResult } from './api/registry.schema.js';
import type { Handlers } from './api/router.js';
import type { DiskUsage, EngineInfo, FsckReport, GcReport } from './api/store.schema.js';
import type { BuildCache } from './builder/buildCache.js';
import type { BuildObserver, BuildRequest, BuildResult } from './builder/builder.js';
import type { BuildHistory } from './builder/buildHistory.js';
import { buildHandlers } from './engine/builds.js';
import { containerHandlers, type RuntimeParts } from './engine/containers.js';
import { EngineCore } from './engine/engineCore.js';
import { type ImportRequest, imageHandlers } from './engine/images.js';
import { networkHandlers } from './engine/networks.js';
import { Services } from './engine/services.js';
import { storeHandlers } from './engine/store.js';
import { transferHandlers } from './engine/transfers.js';
import { volumeHandlers } from './engine/volumes.js';
import type { ImageRecord } from './images/imageRecords.js';
import { formatPlatform, hostPlatform } from './oci/platform.js';
import type { PullRequest, Registries } from './registry/registries.js';
import type { SecretCipher } from './registry/sealedCredentials.js';
import type { ContainerCopyBackend } from './runtime/containerCopy.js';
import type { ContainerExtrasBackend } from './runtime/containerExtras.js';
import type { NetworkBackend } from './runtime/network/networkBackend.js';
import type {
  ContainerAttacher,
  ContainerControls,
  ExecRequest,
  RuntimeBackend,
  VolumeBackend,
} from './runtime/runtimeBackend.js';
import type { SnapshotStore } from './snapshots/snapshotStore.js';
import type { Store } from './store/store.js';
import { watchIndex } from './store/storeWatcher.js';
import { VERSION } from './version.js';

/** What a runtime other than the native one is made with (core/vm's, for a machine). */
export interface RuntimeContext extends RuntimeParts {
  engine: Engine;
}

/**
 * The one object every face holds (the CLI, the Electron main process, the web server): the
 * composition of the engine's services (core/engine/), each made at its first use, so that
 * `new Engine()` costs the store's opening and a `run` loads the containers service alone.
 * Its methods delegate to the services; the Router's handlers are theirs.
 */
export class Engine {
  private readonly core: EngineCore;
  private readonly services: Services;

  /**
   * `secrets`: the window's keychain (Electron safeStorage), to seal the logins the app saves.
   * `cli`: how to run the stevedore CLI (conmon runs `CLI --root R container-cleanup ID` when a
   * container ends); found from the running script when not given.
   * `exitNotices`: conmon leaves a notice when a container ends and this engine settles it, in
   * place of a CLI process per end: for an engine that is always there while its containers run
   * (a machine's agent), from `watchStore` on.
   * `runtime`: makes the runtime from the engine and the native one (a face chooses: native as
   * root on Linux, else a machine's); the native one when not given.
   */
  constructor(
    root: string,
    options: {
      secrets?: SecretCipher;
      cli?: string[];
      exitNotices?: boolean;
      runtime?: (context: RuntimeContext) => RuntimeBackend;
      /** Why this runtime (for `info` and the app): the face's choice. */
      runtimeReason?: string;
    } = {},
  ) {
    this.core = new EngineCore(root);
    const makeRuntime = options.runtime;
    this.services = new Services(this.core, {
      containers: {
        cli: options.cli,
        exitNotices: options.exitNotices,
        runtime: makeRuntime && ((parts) => makeRuntime({ ...parts, engine: this })),
        runtimeReason: options.runtimeReason,
      },
      transfers: { secrets: options.secrets },
    });
  }

  get store(): Store {
    return this.core.store;
  }

  get snapshots(): SnapshotStore {
    return this.core.snapshots;
  }

  /** Whatever runs containers, and the app's terminals into them: runc here, or a machine's agent. */
  get runtime(): RuntimeBackend {
    return this.services.containers.runtime;
  }

  /** Dockerfile builds and their cache. */
  get buildCache(): BuildCache {
    return this.services.builds.cache;
  }

  /** The builds the app and the CLI started, kept. */
  get builds(): BuildHistory {
    return this.services.builds.history;
  }

  /**
   * Pulls, pushes, logins, tags and catalogs; the transfers running and their cancel switches.
   * Loaded at first use: HTTP, TLS and the registry client are not every command's start-up cost.
   */
  registries(): Promise<Registries> {
    return this.services.transfers.registries();
  }

  /** Lets go of registry connections (keep-alive sockets), if any were made, so the process can end. */
  closeConnections(): void {
    this.services.made.transfers?.closeConnections();
  }

  /** For a long-lived face that stops: ends the app's terminal sessions and lets go of connections. */
  close(): void {
    this.services.made.containers?.close();
    this.closeConnections();
  }

  on<T extends EventTopic>(topic: T, listener: (payload: EventPayload<T>) => void): () => void {
    return this.core.on(topic, listener);
  }

  /**
   * For long-lived faces (the window, the web server): report changes other processes make to
   * the store as `images.changed` (and containers as `containers.changed`). Returns the function
   * that stops watching.
   */
  watchStore(): () => void {
    // The one start-up hook of the long-lived faces (window, `ui`, `daemon`, a machine's agent),
    // never of a one-shot command: containers whose restart policy wants them up start again.
    const stopContainers = this.services.containers.watch();
    const stopIndex = watchIndex(this.store.layout, () => this.core.emit('images.changed', { reason: 'store' }));
    return () => {
      stopIndex();
      stopContainers();
    };
  }

  /** The engine socket this engine serves, set by the face that serves it (core/server/engineSocket.ts). */
  serving: { socket: string; exitWhenIdleSeconds: number | null } | null = null;

  info(): EngineInfo {
    return {
      version: VERSION,
      root: this.store.root,
      platform: formatPlatform(hostPlatform()),
      runtime: this.runtime.kind,
      runtimeReason: this.services.containers.runtimeReason,
      engine: {
        pid: process.pid,
        socket: this.serving?.socket ?? null,
        exitWhenIdleSeconds: this.serving?.exitWhenIdleSeconds ?? null,
      },
    };
  }

  listImages(): ImageSummary[] {
    return this.services.images.list();
  }

  /**
   * The image `ref` names, as a container would run it (an ID several manifests share is one image:
   * what runs is the config's); with `platform` (run --platform), that platform's, refused when the
   * host cannot run it.
   */
  resolveImage(ref: string, platform?: string): ImageRecord {
    return this.services.images.resolveToRun(ref, platform);
  }

  inspectImage(ref: string): ImageDetail {
    return this.services.images.inspect(ref);
  }

  async tagImage(source: string, target: string): Promise<{ reference: string }> {
    return this.services.images.tag(source, target);
  }

  /** Like `docker rmi`: a name untags; an ID removes the image (with force when it has several names). */
  async removeImages(refs: string[], force = false): Promise<RemoveResult> {
    return this.services.images.remove(refs, force);
  }

  /** The images containers stand on, with those containers' names. */
  async imagesInUse(): Promise<ImageUse[]> {
    return this.services.images.inUse();
  }

  /** `image prune`: dangling images (with `all`, every image no container uses), then the garbage. */
  async pruneImages(options: { all?: boolean | undefined; dryRun?: boolean | undefined } = {}): Promise<PruneResult> {
    return this.services.images.prune(options);
  }

  /** `system df`: blobs, unpacked snapshots, what containers wrote, and what only the build cache keeps. */
  diskUsage(): DiskUsage {
    return this.services.store.diskUsage();
  }

  async loadImages(path: string, name?: string, transferId?: string): Promise<LoadResult> {
    return this.services.images.load(path, name, transferId);
  }

  /** docker import: a tar (read here, from a file or stdin) as a one-layer image. Resolves to its ID. */
  async importImage(request: ImportRequest): Promise<string> {
    return this.services.images.importTar(request);
  }

  async saveImages(refs: string[], output: string): Promise<{ output: string }> {
    return this.services.images.save(refs, output);
  }

  /** `stevedore unpack`: the image's root filesystem in `dir`. Returns notes on what was skipped. */
  async unpackImage(ref: string, dir: string, options: { maxBytes?: number } = {}): Promise<string[]> {
    return this.services.images.unpack(ref, dir, options);
  }

  /** conmon's exit command (`container-cleanup`): records a native container's end and gives back what it held. */
  async settleContainerExit(id: string): Promise<void> {
    return this.services.containers.settleExit(id);
  }

  /** The runtime's volumes (a machine's are refused here, saying so). */
  volumes(): VolumeBackend {
    return this.services.volumes.backend();
  }

  /** The runtime's networks, where it has them (the same refusal as volumes otherwise). */
  networks(): NetworkBackend {
    return this.services.networks.backend();
  }

  /** pause, unpause and stats, where the runtime has them. */
  containerControls(): ContainerControls {
    return this.services.containers.controls();
  }

  /** `cp`'s archives of a container's files, where the runtime has them. */
  containerCopy(): ContainerCopyBackend {
    return this.services.containers.copy();
  }

  /** docker create, where the runtime can make a container without starting it. */
  async createContainer(request: RunRequest): Promise<ContainerSummary> {
    return this.services.containers.create(request);
  }

  /** rename, top and diff of a container, where the runtime has them. */
  containerExtras(): ContainerExtrasBackend {
    return this.services.containers.extras();
  }

  /** `attach`, where the runtime has it. */
  containerAttacher(): ContainerAttacher {
    return this.services.containers.attacher();
  }

  /** The app's Files tab: browse and download a container's files, where the runtime has them. */
  containerFiles(): Required<Pick<ContainerCopyBackend, 'list' | 'readFile'>> {
    return this.services.containers.files();
  }

  /** `stevedore run` without -d: the container's output on this terminal; resolves to its exit code. */
  async runAttached(request: RunRequest): Promise<number> {
    return this.runtime.runAttached(request);
  }

  /** `stevedore exec`: the command's stdio are this process's (a terminal, or pipes); resolves to its exit code. */
  async execAttached(ref: string, request: ExecRequest): Promise<number> {
    return this.runtime.exec(ref, request);
  }

  async openTerminal(args: Parameters<Services['containers']['openTerminal']>[0]): Promise<{ sessionId: string }> {
    return this.services.containers.openTerminal(args);
  }

  /** `stevedore build`: the image built from a Dockerfile, its steps reported to `observer`. */
  async build(request: BuildRequest, observer: BuildObserver): Promise<BuildResult> {
    return this.services.builds.build(request, observer);
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
    return this.services.builds.recorded(args, observer, secrets, ssh);
  }

  /** For the app: the build starts, and its ID comes back at once. */
  startBuild(args: BuildRequestArgs): { buildId: string } {
    return this.services.builds.start(args);
  }

  /** Cancels a build this engine runs; false when it runs nowhere here (ended, or another process's). */
  cancelBuild(buildId: string): { cancelled: boolean } {
    return this.services.builds.cancel(buildId);
  }

  /** Forgets the build cache, then collects the layers only it kept. */
  async pruneBuildCache(): Promise<{ entries: number; reclaimedBytes: number }> {
    return this.services.builds.pruneCache();
  }

  /** Per-layer changes and efficiency, dive's way. */
  async diffImage(ref: string, options: { summary?: boolean } = {}): Promise<ImageDiff> {
    return this.services.images.diff(ref, options);
  }

  async compareImages(left: string, right: string): Promise<ImageComparison> {
    return this.services.images.compare(left, right);
  }

  async pullImage(request: PullRequest): Promise<PullResult> {
    return this.services.transfers.pull(request);
  }

  /** Pushes a local image to `target`, or to the registry its own name (`ref`) points at. */
  async pushImage(request: {
    ref: string;
    target?: string | undefined;
    insecure?: boolean | undefined;
    transferId?: string | undefined;
  }): Promise<PushResult> {
    return this.services.transfers.push(request);
  }

  /** One image's DAG (its nodes still name every image that shares them), or the whole store's. */
  dag(ref?: string): Dag {
    return this.services.images.dag(ref);
  }

  /** Blobs no image reaches, and snapshots no image stands on. */
  async gc(dryRun = false): Promise<GcReport> {
    return this.services.store.gc(dryRun);
  }

  /** Blobs, images, the build cache and the snapshots; `repair` removes corrupt snapshots no container uses. */
  async fsck(repair = false): Promise<FsckReport> {
    return this.services.store.fsck(repair);
  }

  /** The contract's methods for the Router, assembled from the services' own (each made at its first call). */
  handlers(): Handlers {
    const s = this.services;
    return {
      'engine.info': async () => this.info(),
      ...imageHandlers(s),
      ...transferHandlers(s),
      ...containerHandlers(s),
      ...volumeHandlers(s),
      ...networkHandlers(s),
      ...buildHandlers(s),
      ...storeHandlers(s),
    };
  }
}
