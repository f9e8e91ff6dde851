import type { ContainerSummary, RunRequest } from '../api/containers.schema.js';
import type { Args } from '../api/contract.js';
import { storeLayerImage } from '../builder/layerImage.js';
import { StevedoreError } from '../errors.js';
import { findCliScript } from '../runtime/cliScript.js';
import type { ContainerCopyBackend } from '../runtime/containerCopy.js';
import { containerDiskUsage } from '../runtime/containerDiskUsage.js';
import { journalContainerChange } from '../runtime/containerEvents.js';
import type { ContainerExtrasBackend } from '../runtime/containerExtras.js';
import type { ContainersDeps } from '../runtime/containers.js';
import { watchContainers } from '../runtime/containerWatcher.js';
import { withEnvFiles } from '../runtime/envFiles.js';
import { exitNoticeCommand, watchExitNotices } from '../runtime/exitNotices.js';
import { imageToRun } from '../runtime/imageToRun.js';
import { NativeRuntime } from '../runtime/nativeRuntime.js';
import type { ContainerAttacher, ContainerControls, RuntimeBackend } from '../runtime/runtimeBackend.js';
import { recordEvent } from '../store/eventJournal.js';
import type { HandlersOf, MethodsOf } from './handlerSlice.js';
import type { Services } from './services.js';

type ContainerCommitRequest = Args<'containers.commit'>;

export type ContainerMethods = MethodsOf<'containers'> | MethodsOf<'terminal'> | MethodsOf<'runtime'>;

/** What the runtime is made with, besides the engine itself (the composition adds it: core/engine.ts). */
export interface RuntimeParts {
  native: NativeRuntime;
  /** What the native runtime was made with (the rootless runtime is the native one in a user namespace). */
  containersDeps: ContainersDeps;
  /** Reports a container's change as the engine's `containers.changed` event. */
  changed: (id: string, reason: string) => void;
}

export interface ContainersServiceOptions {
  /**
   * How to run the stevedore CLI (conmon runs `CLI --root R container-cleanup ID` when a container
   * ends); found from the running script when not given.
   */
  cli?: string[] | undefined;
  /** conmon leaves a notice at a container's end, which `watch` settles, in place of running the CLI. */
  exitNotices?: boolean | undefined;
  /** Makes the runtime from the native one (a face chooses: native as root on Linux, else a machine's). */
  runtime?: ((parts: RuntimeParts) => RuntimeBackend) | undefined;
  /** Why this runtime (for `info` and the app): the face's choice. */
  runtimeReason?: string | undefined;
}

/**
 * Containers and the app's terminals into them, through whatever runs them: runc here, or a
 * machine's agent. The runtime is made at the service's first use, the native one always (gc and
 * fsck keep what its containers use, whichever runtime the engine drives).
 */
export class ContainersService {
  private depsMade?: ContainersDeps;
  private nativeMade?: NativeRuntime;
  private runtimeMade?: RuntimeBackend;
  readonly runtimeReason: string;

  constructor(
    private readonly s: Services,
    private readonly options: ContainersServiceOptions,
  ) {
    this.runtimeReason = options.runtimeReason ?? 'the engine was made with the native runtime';
  }

  /** Containers run on this machine: their snapshots are the host store's (none when the runtime is a machine's). */
  get native(): NativeRuntime {
    this.nativeMade ??= new NativeRuntime(this.deps);
    return this.nativeMade;
  }

  /** Whatever runs containers, and the app's terminals into them. */
  get runtime(): RuntimeBackend {
    if (!this.runtimeMade) {
      const { native, deps } = this;
      this.runtimeMade = this.options.runtime?.({ native, containersDeps: deps, changed: deps.changed }) ?? native;
    }
    return this.runtimeMade;
  }

  /** What the native runtime is made with. */
  private get deps(): ContainersDeps {
    this.depsMade ??= this.containersDeps();
    return this.depsMade;
  }

  private containersDeps(): ContainersDeps {
    const { core } = this.s;
    const cli = () => this.options.cli ?? defaultCli();
    return {
      store: core.store,
      snapshots: core.snapshots,
      resolveImage: (ref, platform) => imageToRun(core.records, ref, platform),
      cleanupCommand: () =>
        this.options.exitNotices
          ? exitNoticeCommand(core.store.root)
          : [...cli(), '--root', core.store.root, 'container-cleanup'],
      healthCheckCommand: () => [...cli(), '--root', core.store.root, 'container-healthcheck'],
      changed: (id, reason, record) => {
        journalContainerChange(core.store.root, id, reason, record);
        core.emit('containers.changed', { id, reason });
      },
    };
  }

  /**
   * For the long-lived faces (window, `ui`, `daemon`, a machine's agent), never a one-shot command:
   * containers whose restart policy wants them up start again, and changes other processes make
   * come as `containers.changed`. Returns the function that stops watching.
   */
  watch(): () => void {
    const runtime = this.runtime;
    if (runtime instanceof NativeRuntime) void runtime.containers.restartAtEngineStart().catch(() => undefined);
    const root = this.s.core.store.root;
    const stopNotices = this.options.exitNotices ? watchExitNotices(root, (id) => this.settleExit(id)) : undefined;
    const stopWatching = watchContainers(root, (id) => this.s.core.emit('containers.changed', { id, reason: 'observed' }));
    return () => {
      stopNotices?.();
      stopWatching();
    };
  }

  /** Ends the app's terminal sessions, of the runtimes made. */
  close(): void {
    this.runtimeMade?.close();
    this.nativeMade?.close();
  }

  /** conmon's exit command (`container-cleanup`): records a native container's end and gives back what it held. */
  async settleExit(id: string): Promise<void> {
    await this.native.containers.settleExit(id);
    // conmon's exit command runs once per run: the one place each end's restart is decided.
    await this.native.containers.applyRestartPolicy(id);
  }

  /** docker create, where the runtime can make a container without starting it. */
  async create(request: RunRequest): Promise<ContainerSummary> {
    const runtime = this.runtime;
    if (!runtime.create) {
      throw new StevedoreError('INVALID_ARGUMENT', `create is not available through the ${runtime.kind} runtime yet; use run`);
    }
    return runtime.create(request);
  }

  /** pause, unpause and stats, where the runtime has them (the same refusal as volumes otherwise). */
  controls(): ContainerControls {
    if (this.runtime.controls) return this.runtime.controls;
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `pause, unpause and stats are not available through the ${this.runtime.kind} runtime yet`,
    );
  }

  /** `cp`'s archives of a container's files, where the runtime has them (the same refusal as volumes otherwise). */
  copy(): ContainerCopyBackend {
    if (this.runtime.copy) return this.runtime.copy;
    throw new StevedoreError('INVALID_ARGUMENT', `cp is not available through the ${this.runtime.kind} runtime yet`);
  }

  /** rename, top and diff of a container, where the runtime has them (the same refusal as volumes otherwise). */
  extras(): ContainerExtrasBackend {
    if (this.runtime.extras) return this.runtime.extras;
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `rename, top and diff are not available through the ${this.runtime.kind} runtime yet`,
    );
  }

  /** docker commit: the container's changes stored as one more layer over its image. */
  async commit(request: ContainerCommitRequest): Promise<{ id: string }> {
    const { core, images } = this.s;
    const { tar, imageId } = await this.extras().layerTar(request.id);
    const id = await storeLayerImage(core.store, {
      base: images.resolveToRun(imageId),
      tar,
      tags: request.reference ? [request.reference] : [],
      changes: request.changes ?? [],
      createdBy: `stevedore commit ${request.id}`,
      comment: request.message,
      author: request.author,
    });
    recordEvent(core.store.root, { Type: 'container', Action: 'commit', id: request.id, attributes: { imageID: id } });
    core.emit('images.changed', { reason: 'commit' });
    return { id };
  }

  /** `attach`, where the runtime has it (the same refusal as controls otherwise). */
  attacher(): ContainerAttacher {
    if (this.runtime.attacher) return this.runtime.attacher;
    throw new StevedoreError('INVALID_ARGUMENT', `attach is not available through the ${this.runtime.kind} runtime yet`);
  }

  /** The app's Files tab: browse and download a container's files, where the runtime has them (its diff is extras'). */
  files(): Required<Pick<ContainerCopyBackend, 'list' | 'readFile'>> {
    const copy = this.runtime.copy;
    if (copy?.list && copy.readFile) return { list: copy.list.bind(copy), readFile: copy.readFile.bind(copy) };
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `a container's files are not available through the ${this.runtime.kind} runtime yet`,
    );
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
    const { core } = this.s;
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
        output: (id, data, stream) => core.emit('terminal.output', { sessionId: id, data, ...(stream ? { stream } : {}) }),
        exited: (id, exitCode) => core.emit('terminal.exited', { sessionId: id, exitCode }),
      },
    );
    return { sessionId };
  }

  /** The runtime (native, or a machine) with the reason it was chosen. */
  async status() {
    return { ...(await this.runtime.status()), reason: this.runtimeReason };
  }
}

/** The containers service's methods for the Router (containers, terminal sessions, the runtime's machine). */
export function containerHandlers(s: Services): HandlersOf<ContainerMethods> {
  const runtime = () => s.containers.runtime;
  return {
    'containers.list': async ({ all }) => runtime().list(all),
    'containers.inspect': async ({ id }) => runtime().inspect(id),
    // The app's Run dialog names env files on this machine; the engine reads them (runtime/envFiles.ts).
    // `run -d`: started, with the runtime's notes (a published port discarded, …) for the CLI's warnings.
    'containers.run': async (request) => runtime().run(await withEnvFiles(request)),
    'containers.create': async (request) => s.containers.create(await withEnvFiles(request)),
    'containers.files': async ({ id, path }) => s.containers.files().list(id, path),
    'containers.diff': async ({ id }) => s.containers.extras().changes(id),
    'containers.rename': async ({ id, name }) => {
      await s.containers.extras().rename(id, name);
      return {};
    },
    'containers.commit': async (request) => s.containers.commit(request),
    'containers.top': async ({ id, psOptions }) => s.containers.extras().top(id, psOptions ?? []),
    'containers.readFile': async ({ id, path }) => s.containers.files().readFile(id, path),
    'containers.start': async ({ id }) => runtime().start(id),
    'containers.stop': async ({ id, timeout, signal }) => runtime().stop(id, timeout, signal),
    'containers.restart': async ({ id, timeout, signal }) => runtime().restart(id, timeout, signal),
    'containers.kill': async ({ id, signal }) => runtime().kill(id, signal),
    'containers.remove': async ({ id, force, volumes }) => runtime().remove(id, force, volumes),
    'containers.pause': async ({ id }) => s.containers.controls().pause(id),
    'containers.unpause': async ({ id }) => s.containers.controls().unpause(id),
    'containers.stats': async ({ ids }) => s.containers.controls().stats(ids),
    'containers.diskUsage': async () => containerDiskUsage(s.core.store.root),
    'containers.logs': async ({ id, ...options }) => runtime().logs(id, options),
    'containers.terminal': async (args) => s.containers.openTerminal(args),
    'containers.runAttached': async ({ request, sessionId }) => {
      const output = (stream: 'stdout' | 'stderr') => (data: string) =>
        s.core.emit('terminal.output', { sessionId, data, stream });
      const withFiles = await withEnvFiles(request);
      return { exitCode: await runtime().runAttached(withFiles, { stdout: output('stdout'), stderr: output('stderr') }) };
    },
    'terminal.input': async ({ sessionId, data, eof }) => {
      await runtime().sessionInput(sessionId, data, eof);
      return {};
    },
    'terminal.resize': async ({ sessionId, cols, rows }) => {
      await runtime().resizeSession(sessionId, cols, rows);
      return {};
    },
    'terminal.close': async ({ sessionId }) => {
      await runtime().closeSession(sessionId);
      return {};
    },
    'runtime.status': async () => s.containers.status(),
    'runtime.machine': async ({ action }) => {
      await runtime().controlMachine(action);
      return s.containers.status();
    },
  };
}

/** node plus the built CLI script, when this process was not told how to run it. */
function defaultCli(): string[] {
  const script = findCliScript();
  if (!script)
    throw new StevedoreError(
      'INTERNAL',
      'cannot find the stevedore CLI (dist/cli.cjs) to run when a container ends; run `npm run build`',
    );
  return [process.execPath, script];
}
