import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ContainerDetail, ContainerSummary, LogChunk, RunRequest, StartedContainer } from '../api/containers.schema.js';
import type { RuntimeStatus } from '../api/runtime.schema.js';
import { StevedoreError } from '../errors.js';
import { conmonAttacher } from './attachContainer.js';
import { type AttachedOutput, runAttached } from './attachedRun.js';
import type { BuildStepRequest, BuildStepResult } from './buildStep/buildStepRequest.js';
import { runNativeBuildStep } from './buildStep/nativeBuildStep.js';
import { ContainerCopy } from './containerCopy.js';
import { ContainerExtras } from './containerExtras.js';
import { Containers, type ContainersDeps, summarize } from './containers.js';
import { execInvocation } from './execProcess.js';
import { type NetworkBackend, nativeNetworkBackend } from './network/networkBackend.js';
import { ociRuntime } from './runc.js';
import { RuncStderr } from './runcStderr.js';
import type {
  ContainerAttacher,
  ContainerControls,
  ExecRequest,
  RuntimeBackend,
  SessionEvents,
  SessionRequest,
  VolumeBackend,
} from './runtimeBackend.js';
import { handOverTerminal } from './terminalHandOver.js';
import { TerminalSessions } from './terminalSessions.js';

/** Containers run by runc under conmon on this machine, which takes root (or the rootless backend's namespace). */
export class NativeRuntime implements RuntimeBackend {
  /** `rootless` for the subclass that runs the same code in a user namespace (core/runtime/rootless). */
  readonly kind: 'native' | 'rootless' = 'native';
  readonly containers: Containers;
  readonly volumes: VolumeBackend;
  readonly controls: ContainerControls;
  readonly copy: ContainerCopy;
  readonly extras: ContainerExtras;
  readonly attacher: ContainerAttacher;
  readonly networks: NetworkBackend;
  private readonly sessions = new TerminalSessions();

  constructor(private readonly deps: ContainersDeps) {
    this.containers = new Containers(deps);
    const volumes = this.containers.volumes;
    this.volumes = {
      list: async () => volumes.list(),
      inspect: async (name) => volumes.inspect(name),
      create: (name, labels) => volumes.create(name, labels),
      remove: (name, force) => volumes.remove(name, force),
      prune: (all) => volumes.prune(all),
    };
    this.networks = nativeNetworkBackend(this.containers);
    this.copy = new ContainerCopy(this.containers, deps);
    this.extras = new ContainerExtras(this.containers, deps);
    this.attacher = conmonAttacher(this.containers);
    this.controls = {
      pause: (ref) => this.containers.pause(ref),
      unpause: (ref) => this.containers.unpause(ref),
      stats: (refs) => this.containers.stats(refs),
    };
  }

  list(all?: boolean): Promise<ContainerSummary[]> {
    return this.containers.list(all);
  }
  inspect(ref: string): Promise<ContainerDetail> {
    return this.containers.inspect(ref);
  }
  run(request: RunRequest): Promise<StartedContainer> {
    return this.containers.run(request);
  }
  async create(request: RunRequest): Promise<ContainerSummary> {
    return summarize(await this.containers.create(request, true));
  }
  start(ref: string): Promise<ContainerSummary> {
    return this.containers.start(ref);
  }
  stop(ref: string, timeoutSeconds?: number, signal?: string): Promise<ContainerSummary> {
    return this.containers.stop(ref, { timeoutSeconds, signal });
  }
  restart(ref: string, timeoutSeconds?: number, signal?: string): Promise<ContainerSummary> {
    return this.containers.restart(ref, { timeoutSeconds, signal });
  }
  kill(ref: string, signal?: string): Promise<ContainerSummary> {
    return this.containers.kill(ref, signal);
  }
  remove(ref: string, force?: boolean, removeVolumes?: boolean): Promise<{ id: string }> {
    return this.containers.remove(ref, force, removeVolumes);
  }
  logs(ref: string, options: { after?: number; tail?: number; follow?: boolean }): Promise<LogChunk> {
    return this.containers.logs(ref, options);
  }
  runAttached(request: RunRequest, io?: AttachedOutput): Promise<number> {
    return runAttached(this.containers, request, io);
  }

  async exec(ref: string, request: ExecRequest): Promise<number> {
    const record = await this.containers.get(ref);
    const { args, processFile } = execInvocation(this.containers.root, record, request);
    try {
      return await new Promise<number>((resolve, reject) => {
        const giveTerminalBack = request.interactive ? handOverTerminal(request.tty && !request.detach) : () => undefined;
        // -d: runc starts the process and returns; its output goes nowhere, as docker's exec -d.
        const stdin = request.interactive && !request.detach ? 'inherit' : 'ignore';
        const child = spawn(ociRuntime(), args, { stdio: [stdin, request.detach ? 'ignore' : 'inherit', 'pipe'] });
        const stderr = new RuncStderr(
          child.stderr as Readable,
          (text) => process.stderr.write(text),
          'exec',
          request.command[0] ?? '',
        );
        child.on('error', (err) => {
          giveTerminalBack();
          reject(new StevedoreError('INTERNAL', `cannot run runc: ${err.message}`));
        });
        child.on('close', (code, signal) => {
          giveTerminalBack();
          const notStarted = stderr.startError();
          if (notStarted) reject(notStarted);
          else resolve(code ?? (signal ? 137 : 126));
        });
      });
    } finally {
      rmSync(processFile, { force: true });
    }
  }

  runBuildStep(
    request: BuildStepRequest,
    onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
  ): Promise<BuildStepResult> {
    return runNativeBuildStep(this.deps, request, onOutput);
  }

  async imagesInUse(): Promise<Map<string, string[]>> {
    return this.containers.imagesInUse();
  }

  async openSession(ref: string, request: SessionRequest, events: SessionEvents): Promise<string> {
    return this.sessions.open(this.containers.root, await this.containers.get(ref), request, events);
  }
  async sessionInput(sessionId: string, data: string, eof?: boolean): Promise<void> {
    this.sessions.input(sessionId, data, eof);
  }
  async resizeSession(sessionId: string, cols: number, rows: number): Promise<void> {
    this.sessions.resize(sessionId, cols, rows);
  }
  async closeSession(sessionId: string): Promise<void> {
    this.sessions.close(sessionId);
  }
  async status(): Promise<Omit<RuntimeStatus, 'reason'>> {
    return { kind: 'native', machine: null };
  }
  async controlMachine(): Promise<void> {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      'the native runtime runs containers on this machine: there is no VM to start or stop',
    );
  }
  close(): void {
    this.sessions.closeAll();
  }
}
