import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type {
  ContainerDetail,
  ContainerSummary,
  LogChunk,
  PortRequest,
  RunRequest,
  StartedContainer,
} from '../api/containers.schema.js';
import type { NetworkPruneResult, NetworkSummary } from '../api/networks.schema.js';
import { parsePortSpec } from '../api/portSpec.js';
import type { MachineSummary, RuntimeStatus } from '../api/runtime.schema.js';
import type { ContainerStats } from '../api/stats.schema.js';
import { parseVolumeSpec } from '../api/volumeSpec.js';
import type { VolumePruneResult, VolumeSummary } from '../api/volumes.schema.js';
import type { EngineConnection } from '../client/engineConnection.js';
import type { Engine } from '../engine.js';
import { StevedoreError } from '../errors.js';
import { type AttachedOutput, processOutput } from '../runtime/attachedRun.js';
import type { BuildStepRequest, BuildStepResult } from '../runtime/buildStep/buildStepRequest.js';
import type { ContainerCopyBackend } from '../runtime/containerCopy.js';
import type { ContainerExtrasBackend, PathChange, ProcessTable } from '../runtime/containerExtras.js';
import { generateContainerName } from '../runtime/containerNames.js';
import { writeLogEntries } from '../runtime/logOutput.js';
import { resolveHostPorts } from '../runtime/network/hostPorts.js';
import type { NetworkBackend } from '../runtime/network/networkBackend.js';
import { requestedPorts } from '../runtime/publishedPorts.js';
import type {
  ContainerControls,
  ExecRequest,
  RuntimeBackend,
  SessionEvents,
  SessionRequest,
  VolumeBackend,
} from '../runtime/runtimeBackend.js';
import { setTerminalRaw } from '../runtime/terminalHandOver.js';
import { type AgentEndpoint, agentIfRunning, connectToAgent, runningAgent, unwrap } from './agentClient.js';
import { runBuildStepInGuest } from './buildStepInGuest.js';
import { consoleTail } from './consoleLog.js';
import { CLOCK_SYNC_INTERVAL_MS, syncGuestClock } from './guestClock.js';
import { GuestCopy, guestLayerTar } from './guestCopy.js';
import { ensureImageInGuest } from './imageTransfer.js';
import { MachineError } from './machineError.js';
import { machineStatus, stopMachine } from './machineLifecycle.js';
import type { MachinePaths } from './machinePaths.js';
import { type RunRecord, readRunRecord } from './machineRun.js';
import {
  addForwards,
  allForwards,
  type Forward,
  forgetForwards,
  readForwards,
  removeForwards,
  shownPorts,
  writeForwards,
} from './portForwards.js';
import { HOST_SHARE_MOUNT } from './qemuCommand.js';
import { guestPathOf } from './sharedPath.js';

/** How long one agent call may take (a container's stop grace period is at most this, less). */
const CALL_TIMEOUT_MS = 120_000;

export interface VmRuntimeOptions {
  engine: Engine;
  paths: MachinePaths;
  /** Lines for the person waiting (a machine starting on demand); the CLI prints them on stderr. */
  notify: (line: string) => void;
  /** A container changed in the guest (the app refreshes its views). */
  changed: (id: string, reason: string) => void;
}

/**
 * Containers run by the engine inside a Stevedore machine: every call goes to the machine's
 * agent (the same engine, native there) over the engine socket's protocol. What only the host
 * can do is done here: the image is sent from the host's store first, published ports are
 * forwarded by QEMU from the host address asked for, and the machine is started when needed.
 */
export class VmRuntime implements RuntimeBackend {
  readonly kind = 'vm' as const;
  private connected: Promise<{ connection: EngineConnection; agent: AgentEndpoint }> | undefined;
  private readonly sessions = new Map<string, SessionEvents>();
  private clockTimer: NodeJS.Timeout | undefined;
  /** Events of a session whose ID has not come back yet (its output can overtake the answer). */
  private readonly early = new Map<string, ((events: SessionEvents) => void)[]>();

  private dispatch(sessionId: string, deliver: (events: SessionEvents) => void): void {
    const events = this.sessions.get(sessionId);
    if (events) {
      deliver(events);
      return;
    }
    const queue = this.early.get(sessionId) ?? [];
    if (queue.length < 10_000) queue.push(deliver);
    this.early.set(sessionId, queue);
  }

  /** The guest's volumes: its engine keeps them, in its store on the data disk. */
  readonly volumes: VolumeBackend = {
    list: () => this.call<VolumeSummary[]>('volumes.list', {}),
    inspect: (name) => this.call<VolumeSummary>('volumes.inspect', { name }),
    create: (name, labels) => this.call<VolumeSummary>('volumes.create', { name, labels }),
    remove: async (name, force) => {
      await this.call<{ name: string }>('volumes.remove', { name, force });
    },
    prune: (all) => this.call<VolumePruneResult>('volumes.prune', { all }),
  };

  /** The guest's networks: bridges in the guest, made by its native engine. */
  readonly networks: NetworkBackend = {
    list: () => this.call<NetworkSummary[]>('networks.list', {}),
    inspect: (ref) => this.call<NetworkSummary>('networks.inspect', { ref }),
    create: (request) => this.call<NetworkSummary>('networks.create', request),
    remove: async (ref) => (await this.call<{ name: string }>('networks.remove', { ref })).name,
    prune: () => this.call<NetworkPruneResult>('networks.prune', {}),
    connect: async (network, container, aliases) => {
      await this.call('networks.connect', { network, container, ...(aliases ? { aliases } : {}) });
    },
    disconnect: async (network, container) => {
      await this.call('networks.disconnect', { network, container });
    },
  };

  readonly controls: ContainerControls = {
    pause: async (ref) => this.shown(await this.call<ContainerSummary>('containers.pause', { id: ref })),
    unpause: async (ref) => this.shown(await this.call<ContainerSummary>('containers.unpause', { id: ref })),
    stats: (refs) => this.call<ContainerStats[]>('containers.stats', { ids: refs }),
  };

  /** rename, top and diff are the guest engine's; commit's layer is made there and fetched by digest. */
  readonly extras: ContainerExtrasBackend = {
    rename: async (ref, name) => {
      await this.call('containers.rename', { id: ref, name });
    },
    top: (ref, psOptions) =>
      this.call<ProcessTable>('containers.top', { id: ref, ...(psOptions.length > 0 ? { psOptions } : {}) }),
    changes: (ref) => this.call<PathChange[]>('containers.diff', { id: ref }),
    layerTar: async (ref) => guestLayerTar(this.options.engine.store, (await this.agent())!.agent, ref),
  };

  /** cp, export and the Files tab: the guest's engine copies, the tar streams over the agent's HTTP port. */
  readonly copy: ContainerCopyBackend = new GuestCopy(
    async () => (await this.agent())!.agent,
    (method, args) => this.call(method, args),
  );

  constructor(private readonly options: VmRuntimeOptions) {}

  /** The agent's connection, starting the machine if `start` (else undefined when it is stopped). */
  private async agent(start = true): Promise<{ connection: EngineConnection; agent: AgentEndpoint } | undefined> {
    const { paths, notify } = this.options;
    if (!this.connected) {
      const endpoint = start ? await runningAgent(paths, notify) : agentIfRunning(paths);
      if (!endpoint) return undefined;
      // The guest lost time if its machine was paused (guestClock.ts): set before anything runs,
      // while the connection is made (the clock has an HTTP path of its own), then kept right
      // while this engine stays connected.
      const clockSet = syncGuestClock(endpoint).catch(() => undefined);
      this.connected = connectToAgent(paths, endpoint).then(async (connection) => {
        await clockSet;
        clearInterval(this.clockTimer);
        this.clockTimer = setInterval(() => void syncGuestClock(endpoint).catch(() => undefined), CLOCK_SYNC_INTERVAL_MS);
        this.clockTimer.unref();
        connection.subscribe('terminal.output', (p) => {
          const { sessionId, data, stream } = p as { sessionId: string; data: string; stream?: 'stdout' | 'stderr' };
          this.dispatch(sessionId, (events) => events.output(sessionId, data, stream));
        });
        connection.subscribe('terminal.exited', (p) => {
          const { sessionId, exitCode } = p as { sessionId: string; exitCode: number };
          this.dispatch(sessionId, (events) => {
            this.sessions.delete(sessionId);
            events.exited(sessionId, exitCode);
          });
        });
        connection.subscribe('containers.changed', (p) => {
          const { id, reason } = p as { id: string; reason: string };
          this.options.changed(id, reason);
        });
        return { connection, agent: endpoint };
      });
      this.connected.catch(() => {
        this.connected = undefined;
      });
    }
    return this.connected;
  }

  /**
   * One call to the agent. Every one of these answers within seconds when the guest is well (a
   * `logs` follow waits 20 s at most); a guest that does not answer in CALL_TIMEOUT_MS is said to
   * be stuck, with its console's end, rather than left to hang the command.
   */
  private async call<T>(method: string, args: unknown): Promise<T> {
    const { connection } = (await this.agent())!;
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const tail = consoleTail(this.options.paths.consoleLog, 3).join(' / ');
        reject(
          new MachineError(
            'agent-unreachable',
            `The machine's agent did not answer ${method} within ${CALL_TIMEOUT_MS / 1000} s${tail ? `; its console ends with: ${tail}` : ''}. Restart the machine (\`stevedore machine stop\`, then start).`,
          ),
        );
      }, CALL_TIMEOUT_MS);
      timer.unref();
    });
    try {
      return unwrap<T>(await Promise.race([connection.invoke(method, args), stuck]));
    } finally {
      clearTimeout(timer);
    }
  }

  /** The container as the host sees it: ports on the host address QEMU listens on, bind mounts from host paths. */
  private shown<T extends ContainerSummary>(summary: T): T {
    const shown = {
      ...summary,
      ports: shownPorts(summary.state, () => readForwards(this.options.paths, summary.id), summary.ports),
    };
    if (!('volumes' in shown)) return shown;
    const detail = shown as unknown as ContainerDetail;
    return {
      ...detail,
      volumes: detail.volumes.map((v) =>
        v.source.startsWith(`${HOST_SHARE_MOUNT}/`) ? { ...v, source: v.source.slice(HOST_SHARE_MOUNT.length) } : v,
      ),
    } as unknown as T;
  }

  async list(all?: boolean): Promise<ContainerSummary[]> {
    // Listing never boots a machine: a stopped one runs no containers.
    const live = await this.agent(false);
    if (!live) return [];
    const list = unwrap<ContainerSummary[]>(await live.connection.invoke('containers.list', { all }));
    return list.map((c) => this.shown(c));
  }

  async inspect(ref: string): Promise<ContainerDetail> {
    return this.shown(await this.call<ContainerDetail>('containers.inspect', { id: ref }));
  }

  /** The request as the guest runs it, with the host ports it publishes (chosen now where not given). */
  private async placed(request: RunRequest): Promise<{ request: RunRequest; forwards: Forward[] }> {
    // Ranges one port each and -P's ports (the image's EXPOSE) chosen here, where the forwards are made.
    const exposed = request.publishAll
      ? (this.options.engine.resolveImage(request.image).config.config?.ExposedPorts ?? undefined)
      : undefined;
    const asked: PortRequest[] = requestedPorts(request, exposed).map((text) => {
      const parsed = parsePortSpec(text);
      if (!parsed.ok) throw new StevedoreError('INVALID_ARGUMENT', parsed.message);
      return parsed.value;
    });
    const forwards = await resolveHostPorts(asked, allForwards(this.options.paths));
    const volumes = guestVolumes(request.volumes ?? [], readRunRecord(this.options.paths)?.share);
    return {
      // In the guest each port is published on the guest's own address under the host's number,
      // and the image is the host's (withImage).
      request: {
        ...request,
        expectedImageId: this.options.engine.resolveImage(request.image, request.platform).configDigest,
        ports: forwards.map((f) => `${f.hostPort}:${f.containerPort}/${f.protocol}`),
        publishAll: false,
        volumes,
      },
      forwards,
    };
  }

  private async forward(id: string, forwards: Forward[]): Promise<void> {
    if (forwards.length === 0) return;
    writeForwards(this.options.paths, id, forwards);
    try {
      await addForwards(this.options.paths, forwards);
    } catch (err) {
      forgetForwards(this.options.paths, id);
      await this.call('containers.remove', { id, force: true }).catch(() => undefined);
      throw err;
    }
  }

  /**
   * `made(request)`, a call that makes a container in the guest, which refuses it when its image is
   * not the host's (`expectedImageId`): the image is then sent (ensureImageInGuest) and the call
   * made again. What the guest has it keeps, so a run asks nothing first.
   */
  private async withImage<T>(request: RunRequest, made: (request: RunRequest) => Promise<T>): Promise<T> {
    try {
      return await made(request);
    } catch (err) {
      if (!(err instanceof StevedoreError && err.code === 'IMAGE_NOT_FOUND')) throw err;
    }
    const { connection, agent } = (await this.agent())!;
    await ensureImageInGuest(this.options.engine, connection, agent, request.image);
    return made(request);
  }

  async run(request: RunRequest): Promise<StartedContainer> {
    const placed = await this.placed(request);
    const started = await this.withImage(placed.request, (r) => this.call<StartedContainer>('containers.run', r));
    await this.forward(started.id, placed.forwards);
    return this.shown(started);
  }

  /** docker create in the guest: the image sent if the guest lacks it, its host ports chosen now and forwarded at `start`. */
  async create(request: RunRequest): Promise<ContainerSummary> {
    const placed = await this.placed(request);
    const summary = await this.withImage(placed.request, (r) => this.call<ContainerSummary>('containers.create', r));
    if (placed.forwards.length > 0) writeForwards(this.options.paths, summary.id, placed.forwards);
    return this.shown(summary);
  }

  async start(ref: string): Promise<ContainerSummary> {
    const summary = await this.call<ContainerSummary>('containers.start', { id: ref });
    await addForwards(this.options.paths, readForwards(this.options.paths, summary.id));
    return this.shown(summary);
  }

  async stop(ref: string, timeoutSeconds?: number, signal?: string): Promise<ContainerSummary> {
    return this.shown(await this.call<ContainerSummary>('containers.stop', { id: ref, timeout: timeoutSeconds, signal }));
  }

  async restart(ref: string, timeoutSeconds?: number, signal?: string): Promise<ContainerSummary> {
    const summary = await this.call<ContainerSummary>('containers.restart', { id: ref, timeout: timeoutSeconds, signal });
    await addForwards(this.options.paths, readForwards(this.options.paths, summary.id));
    return this.shown(summary);
  }

  async kill(ref: string, signal?: string): Promise<ContainerSummary> {
    return this.shown(await this.call<ContainerSummary>('containers.kill', { id: ref, signal }));
  }

  async remove(ref: string, force?: boolean, removeVolumes?: boolean): Promise<{ id: string }> {
    const removed = await this.call<{ id: string }>('containers.remove', { id: ref, force, volumes: removeVolumes });
    await removeForwards(this.options.paths, readForwards(this.options.paths, removed.id));
    forgetForwards(this.options.paths, removed.id);
    return removed;
  }

  logs(ref: string, options: { after?: number; tail?: number; follow?: boolean }): Promise<LogChunk> {
    return this.call<LogChunk>('containers.logs', { id: ref, ...options });
  }

  /**
   * `run` without -d through the machine: the guest runs it in the foreground as the native
   * runtime does (runc run, no conmon) and streams its output as session events; the answer is
   * the exit code. Ctrl-C stops it by name (one is given when the user gave none); a second kills
   * it. With published ports it is started detached instead, so its ports can be forwarded by ID
   * before it runs, and its log followed.
   */
  async runAttached(request: RunRequest, io?: AttachedOutput): Promise<number> {
    if (request.tty || request.interactive) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        '-i and -t of a foreground run are not available through the machine yet: run it with -d, then `stevedore exec -it`',
      );
    }
    const out = io ?? processOutput;
    if ((request.ports ?? []).length > 0) return this.runFollowingLog(request, out);
    const placed = await this.placed(request);
    const { connection } = (await this.agent())!;
    // A name chosen here, for Ctrl-C to stop it by, without listing the guest's containers first
    // (a call less per run): a random name is nearly never taken, and one that is is chosen again
    // from the list.
    for (let attempt = 0; ; attempt++) {
      const name =
        request.name ?? generateContainerName(attempt === 0 ? new Set() : new Set((await this.list(true)).map((c) => c.name)));
      try {
        return await this.withImage({ ...placed.request, name }, (r) =>
          this.runAttachedAs(connection, { ...r, name }, out, io === undefined),
        );
      } catch (err) {
        const taken = err instanceof StevedoreError && err.code === 'CONFLICT' && /container name/.test(err.message);
        if (request.name !== undefined || attempt > 0 || !taken) throw err;
      }
    }
  }

  private async runAttachedAs(
    connection: EngineConnection,
    request: RunRequest & { name: string },
    out: AttachedOutput,
    interrupts: boolean,
  ): Promise<number> {
    const sessionId = randomBytes(12).toString('hex');
    // Chosen here and registered before the call: none of its output can come first.
    this.sessions.set(sessionId, {
      output: (_id, data, stream) => (stream === 'stderr' ? out.stderr : out.stdout)(data),
      exited: () => undefined,
    });
    const stopInterrupts = interrupts ? this.onInterrupt(request.name) : () => undefined;
    try {
      const { exitCode } = unwrap<{ exitCode: number }>(
        await connection.invoke('containers.runAttached', { request, sessionId }),
      );
      return exitCode;
    } finally {
      stopInterrupts();
      this.sessions.delete(sessionId);
    }
  }

  private onInterrupt(ref: string): () => void {
    let interrupts = 0;
    const handler = () => {
      interrupts += 1;
      if (interrupts === 1) process.stderr.write('stopping the container (Ctrl-C again to kill it)\n');
      void (interrupts === 1 ? this.stop(ref) : this.kill(ref)).catch(() => undefined);
    };
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  }

  /** The foreground run of a container with published ports: detached, its log followed to its end. */
  private async runFollowingLog(request: RunRequest, out: AttachedOutput): Promise<number> {
    const container = await this.run({ ...request, autoRemove: false });
    const stopInterrupts = this.onInterrupt(container.id);
    try {
      let chunk = await this.logs(container.id, {});
      writeLogEntries(chunk.entries, false, out);
      while (!chunk.ended) {
        chunk = await this.logs(container.id, { after: chunk.cursor, follow: true });
        writeLogEntries(chunk.entries, false, out);
      }
      const ended = await this.inspect(container.id);
      if (ended.error) out.stderr(`error: ${ended.error}\n`);
      return ended.exitCode ?? 125;
    } finally {
      stopInterrupts();
      if (request.autoRemove) await this.remove(container.id, true).catch(() => undefined);
    }
  }

  /** `exec` through the agent's session: stdin passed on with -i, the terminal raw with -t. */
  async exec(ref: string, request: ExecRequest): Promise<number> {
    // The agent's sessions report an end; a command left running on its own has none to report.
    if (request.detach) {
      throw new StevedoreError('INVALID_ARGUMENT', 'exec -d is not supported through the machine yet: run it without -d');
    }
    const stdin = process.stdin;
    return new Promise<number>((resolve, reject) => {
      let sessionId: string | undefined;
      const cleanup = () => {
        stdin.off('data', onInput);
        stdin.off('end', onEnd);
        process.stdout.off('resize', onResize);
        if (request.tty && stdin.isTTY) stdin.setRawMode(false);
        stdin.pause();
      };
      const onInput = (data: Buffer) =>
        sessionId && void this.sessionInput(sessionId, data.toString('utf8')).catch(() => undefined);
      const onEnd = () => sessionId && void this.sessionInput(sessionId, '', true).catch(() => undefined);
      const onResize = () =>
        sessionId && void this.resizeSession(sessionId, process.stdout.columns, process.stdout.rows).catch(() => undefined);
      this.openSession(
        ref,
        {
          command: request.command,
          tty: request.tty,
          cols: process.stdout.columns || 80,
          rows: process.stdout.rows || 24,
          ...(request.env ? { env: request.env } : {}),
          ...(request.user !== undefined ? { user: request.user } : {}),
          ...(request.workdir !== undefined ? { workdir: request.workdir } : {}),
        },
        {
          output: (_id, data, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(data),
          exited: (_id, code) => {
            cleanup();
            resolve(code);
          },
        },
      ).then(
        (id) => {
          sessionId = id;
          if (!request.interactive) return;
          if (request.tty && stdin.isTTY) setTerminalRaw();
          stdin.on('data', onInput);
          stdin.on('end', onEnd);
          process.stdout.on('resize', onResize);
          stdin.resume();
        },
        (err) => {
          cleanup();
          reject(err);
        },
      );
    });
  }

  async imagesInUse(): Promise<Map<string, string[]>> {
    const byImage = new Map<string, string[]>();
    for (const c of await this.list(true)) byImage.set(c.imageId, [...(byImage.get(c.imageId) ?? []), c.name]);
    return byImage;
  }

  async openSession(ref: string, request: SessionRequest, events: SessionEvents): Promise<string> {
    const { connection } = (await this.agent())!;
    const { sessionId } = unwrap<{ sessionId: string }>(
      await connection.invoke('containers.terminal', {
        id: ref,
        command: request.command,
        cols: request.cols,
        rows: request.rows,
        ...(request.tty !== undefined ? { tty: request.tty } : {}),
        ...(request.env ? { env: request.env } : {}),
        ...(request.user !== undefined ? { user: request.user } : {}),
        ...(request.workdir !== undefined ? { workdir: request.workdir } : {}),
      }),
    );
    // The session's events are all that is left to wait on (`exec` without -i): hold the process for them.
    const release = connection.hold();
    this.sessions.set(sessionId, {
      output: events.output,
      exited: (id, code) => {
        release();
        events.exited(id, code);
      },
    });
    const early = this.early.get(sessionId) ?? [];
    this.early.delete(sessionId);
    for (const deliver of early) deliver(this.sessions.get(sessionId)!);
    return sessionId;
  }

  async sessionInput(sessionId: string, data: string, eof?: boolean): Promise<void> {
    await this.call('terminal.input', { sessionId, data, ...(eof ? { eof } : {}) });
  }

  async resizeSession(sessionId: string, cols: number, rows: number): Promise<void> {
    await this.call('terminal.resize', { sessionId, cols, rows });
  }

  async closeSession(sessionId: string): Promise<void> {
    await this.call('terminal.close', { sessionId });
  }

  /** A build's RUN step in the machine (started on demand), its layer brought back verified. */
  async runBuildStep(
    request: BuildStepRequest,
    onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
  ): Promise<BuildStepResult> {
    const { agent } = (await this.agent())!;
    const share = readRunRecord(this.options.paths)?.share;
    return runBuildStepInGuest(this.options.engine.store, agent, request, share, onOutput);
  }

  async status(): Promise<Omit<RuntimeStatus, 'reason'>> {
    const { paths } = this.options;
    if (!existsSync(paths.config)) {
      return { kind: 'vm', machine: null, machineMissing: `there is no machine yet: create it with \`stevedore machine init\`` };
    }
    const s = await machineStatus(paths);
    const share = s.state === 'stopped' ? undefined : readRunRecord(paths)?.share;
    const summary: MachineSummary = {
      name: s.name,
      state: s.state,
      cpus: s.cpus,
      memoryMiB: s.memoryMiB,
      diskGiB: s.diskGiB,
      diskBytesUsed: s.diskBytesUsed,
      image: s.image,
      console: consoleTail(paths.consoleLog, 20),
      ...(s.accelerator !== undefined ? { accelerator: s.accelerator } : {}),
      ...(s.acceleratorReason !== undefined ? { acceleratorReason: s.acceleratorReason } : {}),
      ...(s.uptimeSeconds !== undefined ? { uptimeSeconds: s.uptimeSeconds } : {}),
      ...(s.bootSeconds !== undefined ? { bootSeconds: s.bootSeconds } : {}),
      ...(s.cpuSeconds !== undefined ? { cpuSeconds: s.cpuSeconds } : {}),
      ...(s.rssBytes !== undefined ? { rssBytes: s.rssBytes } : {}),
      ...(share ? { share: share.mounted ? { mounted: true } : { mounted: false, why: share.why } } : {}),
    };
    return { kind: 'vm', machine: summary };
  }

  async controlMachine(action: 'start' | 'stop'): Promise<void> {
    if (action === 'start') {
      await this.agent();
      return;
    }
    this.close();
    await stopMachine(this.options.paths);
  }

  close(): void {
    clearInterval(this.clockTimer);
    const connected = this.connected;
    this.connected = undefined;
    void connected?.then(({ connection }) => connection.close()).catch(() => undefined);
  }
}

/** `-v HOST:CTR` as the guest runs it: the host path through the machine's share (sharedPath.ts). */
function guestVolumes(volumes: string[], share: RunRecord['share']): string[] {
  return volumes.map((text) => {
    const parsed = parseVolumeSpec(text);
    if (!parsed.ok) throw new StevedoreError('INVALID_ARGUMENT', parsed.message);
    const { source, target, readOnly } = parsed.value;
    return `${guestPathOf(source, share, 'bind mounts (-v)')}:${target}${readOnly ? ':ro' : ''}`;
  });
}
