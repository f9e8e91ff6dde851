import type { ContainerDetail, ContainerSummary, LogChunk, RunRequest, StartedContainer } from '../api/containers.schema.js';
import type { RuntimeStatus } from '../api/runtime.schema.js';
import type { ContainerStats } from '../api/stats.schema.js';
import type { VolumePruneResult, VolumeSummary } from '../api/volumes.schema.js';
import type { AttachedOutput } from './attachedRun.js';
import type { AttachConnection } from './attachSocket.js';
import type { BuildStepRequest, BuildStepResult } from './buildStep/buildStepRequest.js';
import type { ContainerCopyBackend } from './containerCopy.js';
import type { ContainerExtrasBackend } from './containerExtras.js';
import type { NetworkBackend } from './network/networkBackend.js';

/** The runtimes an engine can drive containers with: runc here (as root, or rootless in a user namespace), or the agent in a machine. */
export type RuntimeKind = 'native' | 'vm' | 'rootless';

/** `exec` of a command in a running container. */
export interface ExecRequest {
  command: string[];
  tty: boolean;
  /** Keep stdin open and pass it on. */
  interactive: boolean;
  env?: string[];
  /** `-u USER[:GROUP]`: a name or id from the container's /etc/passwd; else the container's own. */
  user?: string;
  /** `-w DIR`: the working directory inside the container; else the container's own. */
  workdir?: string;
  /** `-d`: start it and return at once, its output discarded (as docker). */
  detach?: boolean;
}

/** The volumes a runtime keeps, where its containers run (a machine's are in its guest's store). */
export interface VolumeBackend {
  list(): Promise<VolumeSummary[]>;
  inspect(name: string): Promise<VolumeSummary>;
  create(name?: string, labels?: Record<string, string>): Promise<VolumeSummary>;
  remove(name: string, force?: boolean): Promise<void>;
  prune(all?: boolean): Promise<VolumePruneResult>;
}

/** docker pause, unpause and stats of a running container. */
export interface ContainerControls {
  pause(ref: string): Promise<ContainerSummary>;
  unpause(ref: string): Promise<ContainerSummary>;
  /** Measured together over about a second (CPU % needs two readings). */
  stats(refs: string[]): Promise<ContainerStats[]>;
}

/** `attach`: a running container's stdio, through its supervisor. */
export interface ContainerAttacher {
  /** Refused, in docker's words, when the container is not running. */
  attach(ref: string): Promise<AttachConnection>;
}

/** A session's output and end (the app's terminals, and `exec` through a machine). */
export interface SessionEvents {
  output(sessionId: string, data: string, stream?: 'stdout' | 'stderr'): void;
  exited(sessionId: string, exitCode: number): void;
}

export interface SessionRequest {
  command: string[];
  cols: number;
  rows: number;
  /** Default true: a pseudo-terminal. Without one, stdout and stderr come apart. */
  tty?: boolean;
  env?: string[];
  /** As ExecRequest's: the container's own when absent. */
  user?: string;
  workdir?: string;
}

/**
 * What the engine, the CLI and the app's terminals need from whatever runs containers: every
 * container operation goes through this and nothing else. `native` runs runc and conmon on this
 * machine as root (core/runtime/nativeRuntime.ts); `vm` is a client of the same engine running as
 * the agent inside a Linux machine (core/vm/vmRuntime.ts), reached with the engine socket's own
 * protocol. The methods are plain data in and out, except the two that hold this process's
 * terminal (`runAttached`, `exec`).
 */
export interface RuntimeBackend {
  readonly kind: RuntimeKind;
  list(all?: boolean): Promise<ContainerSummary[]>;
  inspect(ref: string): Promise<ContainerDetail>;
  /** `-d`: started, with what the runtime did otherwise than asked (a published port discarded, …). */
  run(request: RunRequest): Promise<StartedContainer>;
  /** `create`: the container made, not started; absent where a runtime cannot yet (the engine says so). */
  create?(request: RunRequest): Promise<ContainerSummary>;
  start(ref: string): Promise<ContainerSummary>;
  stop(ref: string, timeoutSeconds?: number, signal?: string): Promise<ContainerSummary>;
  restart(ref: string, timeoutSeconds?: number, signal?: string): Promise<ContainerSummary>;
  kill(ref: string, signal?: string): Promise<ContainerSummary>;
  /** `removeVolumes` (`rm -v`): its anonymous volumes go too. */
  remove(ref: string, force?: boolean, removeVolumes?: boolean): Promise<{ id: string }>;
  logs(
    ref: string,
    options: { after?: number | undefined; tail?: number | undefined; follow?: boolean | undefined },
  ): Promise<LogChunk>;
  /**
   * `run` without -d: output on this process's stdout and stderr (with its terminal and Ctrl-C),
   * or to `io` (for a client: no terminal); resolves to the exit code.
   */
  runAttached(request: RunRequest, io?: AttachedOutput): Promise<number>;
  /** `exec` on this process's stdio; resolves to the command's exit code. */
  exec(ref: string, request: ExecRequest): Promise<number>;
  /** Config digests of the images containers use, each with the names of those containers. */
  imagesInUse(): Promise<Map<string, string[]>>;
  /** The app's terminals (and exec sessions): output and end arrive through `events`. */
  openSession(ref: string, request: SessionRequest, events: SessionEvents): Promise<string>;
  sessionInput(sessionId: string, data: string, eof?: boolean): Promise<void>;
  resizeSession(sessionId: string, cols: number, rows: number): Promise<void>;
  closeSession(sessionId: string): Promise<void>;
  /**
   * A build's RUN step: the process in a throwaway container over `request.layers`, what it
   * changed made into a layer and stored in this engine's store (under the request's lease).
   * Output goes to `onOutput` as it comes; a non-zero exit is an error in docker's words.
   */
  runBuildStep(
    request: BuildStepRequest,
    onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
  ): Promise<BuildStepResult>;
  /** Its machine's state, when it drives one (the reason is the engine's to add). */
  status(): Promise<Omit<RuntimeStatus, 'reason'>>;
  /** Starts or stops its machine; refused by a runtime that has none. */
  controlMachine(action: 'start' | 'stop'): Promise<void>;
  /** Its volumes; absent where they cannot be reached yet (the engine then says so). */
  readonly volumes?: VolumeBackend;
  /** Its networks; absent where they cannot be reached yet (the engine then says so). */
  readonly networks?: NetworkBackend;
  /** pause, unpause, stats; absent where they cannot be reached yet (the engine then says so). */
  readonly controls?: ContainerControls;
  /** `cp`'s archives of a container's files; absent where they cannot be reached yet (the engine then says so). */
  readonly copy?: ContainerCopyBackend;
  /** rename, top and diff of a container; absent where they cannot be reached yet (the engine then says so). */
  readonly extras?: ContainerExtrasBackend;
  /** `attach`; absent where it cannot be reached yet (the engine then says so). */
  readonly attacher?: ContainerAttacher;
  /** Lets go of what this process holds (sessions, connections) so that it can end. */
  close(): void;
}
