import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type {
  ContainerDetail,
  ContainerSummary,
  LogChunk,
  RunRequest,
  StartedContainer,
  VolumeMount,
} from '../api/containers.schema.js';
import { effectiveHealthcheck, readImageHealthcheck } from '../api/healthcheck.js';
import { parsePortSpec } from '../api/portSpec.js';
import {
  NO_RESTART,
  parseRestartPolicy,
  restartDelayMs,
  restartWanted,
  restartWantedAtEngineStart,
} from '../api/restartPolicy.js';
import type { ContainerStats } from '../api/stats.schema.js';
import { parseVolumeSpec } from '../api/volumeSpec.js';
import { acceptedOrThrow, StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import type { SnapshotStore } from '../snapshots/snapshotStore.js';
import { withStoreLock } from '../store/lock.js';
import type { Store } from '../store/store.js';
import { hasFewerEntries } from '../system/entryCount.js';
import { shellQuote } from '../text/shellQuote.js';
import { conmonEnded, launchUnderConmon, startContainer } from './conmonLauncher.js';
import { writeBundle } from './containerBundle.js';
import { diedWith } from './containerEvents.js';
import { readLog, tailLog, waitForLog } from './containerLog.js';
import { checkContainerName, generateContainerName } from './containerNames.js';
import { observeExit } from './containerObserver.js';
import { planContainerOptions } from './containerOptions.js';
import {
  type ContainerRecord,
  containerIds,
  containerPaths,
  makeContainerDir,
  readRecord,
  writeRecord,
} from './containerRecord.js';
import { mountRootfs, unmountRootfs } from './containerRootfs.js';
import { idleStats, measureStats } from './containerStats.js';
import { readHealth } from './health/healthFile.js';
import { startHealthChecks, stopHealthChecks } from './health/healthRunner.js';
import { planProcess } from './imageProcess.js';
import { attachNetwork, detachNetwork, type NetworkAttachment } from './network/containerNetwork.js';
import {
  chooseNetwork,
  type JoinedNetwork,
  joinedNetworks,
  membersOf,
  networkEntries,
  networkName,
  networkNames,
  networksToJoin,
} from './network/containerNetworkChoice.js';
import { refreshNetworkHosts } from './network/networkHosts.js';
import { UserNetworks } from './network/userNetworks.js';
import { processStartTicks } from './processIdentity.js';
import { requestedPorts } from './publishedPorts.js';
import { runc, runcPause, tryRunc } from './runc.js';
import { seccompChoice } from './seccomp/seccompPolicy.js';
import { parseSignal } from './signals.js';
import { anonymousVolumes, claimVolumesLocked, mountTargets, planMounts } from './volumes/containerMounts.js';
import { VolumeStore } from './volumes/volumeStore.js';
import { type InheritedMounts, parseVolumesFrom, volumesFrom } from './volumes/volumesFrom.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A container directory with fewer entries than this is deleted in this process (deleteFiles). */
const FEW_ENTRIES = 200;

/** How `stop` and `restart` stop a container: the grace period and the signal, where given. */
export interface StopOptions {
  timeoutSeconds?: number | undefined;
  signal?: string | undefined;
}

export interface ContainersDeps {
  store: Store;
  snapshots: SnapshotStore;
  /** The image to run; `platform` (run --platform) picks that platform's manifest, refused when the host cannot run it. */
  resolveImage: (ref: string, platform?: string) => ImageRecord;
  /** The command conmon runs when a container ends: `stevedore --root R container-cleanup`, less the ID. */
  cleanupCommand: () => string[];
  /** The command a run's health checks call: `stevedore --root R container-healthcheck` (none: no checks run). */
  healthCheckCommand?: () => string[];
  /** `record`: the container as it was at the change (a removed one's files are gone). */
  changed: (id: string, reason: string, record?: ContainerRecord) => void;
}

/**
 * Containers: records in `<root>/containers/<id>/`, started under conmon, stopped with the image's
 * signal then SIGKILL, and observed from files whenever asked, so any process sees them right.
 */
export class Containers {
  readonly root: string;
  readonly volumes: VolumeStore;
  readonly networks: UserNetworks;

  constructor(private readonly deps: ContainersDeps) {
    this.root = deps.store.root;
    this.volumes = new VolumeStore(deps.store);
    this.networks = new UserNetworks(this.root, (network) => membersOf(this.readAll(), network));
  }

  private readAll(): ContainerRecord[] {
    const records: ContainerRecord[] = [];
    for (const id of containerIds(this.root)) {
      const file = containerPaths(this.root, id).record;
      // A container being created or removed right now has no record: not one to show.
      if (existsSync(file)) records.push(readRecord(file));
    }
    return records;
  }

  /** By full ID, unique ID prefix, or name, as docker resolves them. */
  private find(ref: string): ContainerRecord {
    const records = this.readAll();
    const named = records.find((r) => r.name === ref || r.id === ref);
    if (named) return named;
    const matches = /^[0-9a-f]+$/.test(ref) ? records.filter((r) => r.id.startsWith(ref)) : [];
    if (matches.length > 1) throw new StevedoreError('CONFLICT', `container ID prefix ${ref} is ambiguous; give more of it`);
    if (!matches[0]) throw new StevedoreError('NOT_FOUND', `no such container: ${ref}`);
    return matches[0];
  }

  /** The record, brought up to date with what its files and processes say. */
  async get(ref: string): Promise<ContainerRecord> {
    return this.refresh(this.find(ref));
  }

  private async refresh(record: ContainerRecord): Promise<ContainerRecord> {
    if (!observeExit(this.root, record)) return record;
    return this.settleExit(record.id);
  }

  /**
   * Records a container's end and gives back what it held (runc's state, its network, the
   * rootfs mount); removes it if it was run with --rm. Conmon's exit command and any process
   * that notices first both come here; the lock makes it happen once. `releasing`: the process
   * that watched the container end gives back what it held already (releaseEnded), while this
   * waits for the lock; once that succeeded it is not given back again (for published ports,
   * another nft).
   */
  async settleExit(id: string, releasing?: Promise<void>): Promise<ContainerRecord> {
    return withStoreLock(
      this.deps.store.layout,
      async () => {
        const released = releasing
          ? await releasing.then(
              () => true,
              () => false,
            )
          : false;
        const paths = containerPaths(this.root, id);
        if (!existsSync(paths.record)) throw new StevedoreError('NOT_FOUND', `no such container: ${id}`);
        const current = readRecord(paths.record);
        const ended = observeExit(this.root, current);
        if (!ended) return current;
        if (!released) await this.release(ended);
        const settled = { ...ended, state: { ...ended.state, paused: false }, network: null };
        // A --rm container goes when it ends, unless `restart` ended it to start it again.
        const remove = settled.config.autoRemove && !settled.state.restarting;
        if (!remove) writeRecord(this.root, settled);
        // docker's order for --rm: the container dies (journaled with its exit code, which is all
        // `wait` has of it once it is gone), then is destroyed.
        this.deps.changed(id, 'exited', settled);
        if (remove) {
          await this.deleteFiles(id);
          // docker's --rm takes the container's anonymous volumes with it (this holds their lock).
          this.volumes.removeAnonymousLocked(anonymousVolumes(settled.config.mounts));
          this.deps.changed(id, 'removed', settled);
        }
        return settled;
      },
      'containers',
    );
  }

  /**
   * For the process that supervised a run to its end (a foreground run): its mounts and network
   * go at once, from its record as it is, without the store lock (giving them back twice is fine).
   */
  async releaseEnded(id: string): Promise<void> {
    await this.release(readRecord(containerPaths(this.root, id).record));
  }

  private async release(record: ContainerRecord): Promise<void> {
    // conmon leaves runc's state of an ended container behind; `runc run` removes its own, and a
    // container never started has none.
    if (record.state.supervisor === 'conmon') await tryRunc('delete', '--force', record.id);
    stopHealthChecks(this.root, record.id);
    await Promise.all([
      record.network ? detachNetwork(record.network, this.root) : undefined,
      unmountRootfs(containerPaths(this.root, record.id).dir),
    ]);
  }

  private async deleteFiles(id: string): Promise<void> {
    const { dir } = containerPaths(this.root, id);
    await unmountRootfs(dir);
    // A container that wrote little (a `run --rm` of a short command) is deleted here: starting
    // `rm` cost more than the deletion (~25 ms of a run through a machine under TCG). Otherwise it
    // is gone at once by a rename, and its files are deleted in the background (thousands of files
    // in an upper directory take a while on a slow disk, and `run --rm` should not wait).
    if (hasFewerEntries(dir, FEW_ENTRIES)) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {}
    }
    if (existsSync(dir)) {
      const trash = join(this.root, 'tmp', 'trash');
      mkdirSync(trash, { recursive: true });
      const doomed = join(trash, `${id}-${process.pid}`);
      try {
        renameSync(dir, doomed);
        spawn('rm', ['-rf', doomed], { detached: true, stdio: 'ignore' }).unref();
      } catch {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    rmSync(join(this.root, 'run', 'exits', id), { force: true });
    rmSync(join(this.root, 'run', 'sockets', id), { force: true });
  }

  async list(all = false): Promise<ContainerSummary[]> {
    const records = await Promise.all(this.readAll().map((r) => this.refresh(r).catch(() => r)));
    return records
      .filter((r) => all || r.state.status === 'running')
      .sort((a, b) => b.created.localeCompare(a.created))
      .map((r) => withHealth(this.root, r, summarize(r)));
  }

  async inspect(ref: string): Promise<ContainerDetail> {
    return detail(this.root, await this.get(ref));
  }

  /**
   * A new container in the `created` state: its record, nothing running yet. `stdinOnce`: made by
   * `create` (not `run -d`), as docker's StdinOnce.
   */
  async create(request: RunRequest, stdinOnce = false): Promise<ContainerRecord> {
    const image = this.deps.resolveImage(request.image, request.platform);
    if (request.expectedImageId !== undefined && image.configDigest !== request.expectedImageId) {
      throw new StevedoreError('IMAGE_NOT_FOUND', `${request.image} is not image ${request.expectedImageId} here`);
    }
    const plan = planProcess(image.config, {
      ...(request.command ? { cmd: request.command } : {}),
      ...(request.entrypoint !== undefined ? { entrypoint: request.entrypoint } : {}),
      env: request.env ?? [],
      ...(request.workdir ? { workdir: request.workdir } : {}),
      ...(request.user ? { user: request.user } : {}),
    });
    const ports = requestedPorts(request, image.config.config?.ExposedPorts ?? undefined).map((text) =>
      acceptedOrThrow(parsePortSpec(text)),
    );
    const inherited = this.inheritedMounts(request);
    const ownBinds = (request.volumes ?? []).map((text) => acceptedOrThrow(parseVolumeSpec(text)));
    const ownTargets = new Set([...ownBinds.map((b) => b.target), ...mountTargets(request.mounts ?? [])]);
    // Its own -v and --mount win over what --volumes-from gives at the same path, as docker.
    const volumes = [...ownBinds, ...inherited.binds.filter((b) => !ownTargets.has(b.target))];
    const plannedMounts = planMounts(
      request.mounts ?? [],
      volumes,
      Object.keys(image.config.config?.Volumes ?? {}),
      inherited.volumes,
    );
    const { mode: network, networks } = chooseNetwork(request, this.networks);
    const restart = request.restart === undefined ? NO_RESTART : acceptedOrThrow(parseRestartPolicy(request.restart));
    if (restart.name !== 'no' && request.autoRemove) {
      throw new StevedoreError('INVALID_ARGUMENT', 'conflicting options: --restart and --rm');
    }
    const seccomp = seccompChoice(request.securityOpt);
    const healthcheck = acceptedOrThrow(
      effectiveHealthcheck(readImageHealthcheck(image.config.config?.Healthcheck), request.healthcheck),
    );
    const options = planContainerOptions(request);
    const id = randomBytes(32).toString('hex');
    if (request.name !== undefined) checkContainerName(request.name);
    return withStoreLock(
      this.deps.store.layout,
      async () => {
        const taken = new Set(this.readAll().map((r) => r.name));
        if (request.name !== undefined && taken.has(request.name)) {
          throw new StevedoreError('CONFLICT', `the container name "${request.name}" is already in use`);
        }
        const mounts = claimVolumesLocked(this.volumes, plannedMounts);
        const record: ContainerRecord = {
          id,
          name: request.name ?? generateContainerName(taken),
          image: request.image,
          imageId: image.configDigest,
          created: new Date().toISOString(),
          config: {
            args: plan.args,
            env: plan.env,
            workingDir: plan.cwd,
            user: plan.user,
            hostname: request.hostname ?? (network === 'host' ? hostHostname() : id.slice(0, 12)),
            tty: request.tty ?? false,
            interactive: request.interactive ?? false,
            stdinOnce: stdinOnce && (request.interactive ?? false),
            ports,
            volumes,
            mounts,
            network,
            userNetwork: null,
            networks,
            stopSignal:
              request.stopSignal !== undefined ? parseSignal(request.stopSignal) : (image.config.config?.StopSignal ?? 'SIGTERM'),
            autoRemove: request.autoRemove ?? false,
            restart,
            healthcheck,
            seccomp,
            options,
          },
          state: {
            status: 'created',
            paused: false,
            restartCount: 0,
            stoppedByUser: false,
            restarting: false,
            supervisor: null,
            supervisorPid: null,
            pid: null,
            pidStartTicks: null,
            startedAt: null,
            finishedAt: null,
            exitCode: null,
            error: null,
          },
          network: null,
        };
        makeContainerDir(this.root, id);
        writeRecord(this.root, record);
        this.deps.changed(id, 'created', record);
        return record;
      },
      'containers',
    );
  }

  /**
   * Everything a start needs before a process exists: the image's snapshot, the network, the
   * bundle. On failure what was set up is given back and the container stays as it was.
   */
  async prepareStart(record: ContainerRecord): Promise<ContainerRecord> {
    const image = this.deps.resolveImage(record.imageId);
    const paths = containerPaths(this.root, record.id);
    for (const file of [paths.exitFile, paths.pidFile, paths.oomFile]) rmSync(file, { force: true });
    // The root filesystem and the network do not depend on each other: both at once. The bundle
    // needs both; it is written while the container's interfaces are configured.
    const mounting = this.deps.snapshots.prepare(image).then((lower) => {
      if (!lower) throw new StevedoreError('INTERNAL', 'the image has no root filesystem');
      return mountRootfs(paths.dir, lower, record.config.autoRemove);
    });
    mounting.catch(() => undefined);
    let network: NetworkAttachment | undefined;
    try {
      const joining = await networksToJoin(record, this.networks);
      network = await attachNetwork(
        {
          containerId: record.id,
          mode: record.config.network,
          ports: record.config.ports,
          hostname: record.config.hostname,
          ...joining,
        },
        async (attachment) => writeBundle(this.root, { ...record, network: attachment }, await mounting),
      );
      // The bundle wrote its /etc/hosts with itself alone: now every member's lists every member.
      for (const { id } of joinedNetworks(record.config)) if (id) await refreshNetworkHosts(id, this.root);
      return { ...record, network };
    } catch (err) {
      if (network) await detachNetwork(network, this.root);
      await mounting.catch(() => undefined);
      await unmountRootfs(paths.dir);
      throw err;
    }
  }

  /**
   * Starts a created or exited container, detached, under conmon. `byPolicy`: the restart policy
   * starts it (its restart count goes on); a start by the user begins the count again.
   */
  async start(ref: string, byPolicy = false): Promise<ContainerSummary> {
    return summarize(await this.launch(ref, byPolicy));
  }

  /** start's work: the record as it runs (with its network's notes), or as it was if it already ran. */
  private async launch(ref: string, byPolicy: boolean): Promise<ContainerRecord> {
    const record = await this.get(ref);
    if (record.state.status === 'running') return record;
    const prepared = await this.prepareStart(record).catch(async (err) => {
      if (record.config.autoRemove) await this.deleteFiles(record.id);
      throw err;
    });
    // conmon keeps the last runc state of a container that ended; a new start needs it gone.
    if (record.state.status === 'exited') await tryRunc('delete', '--force', record.id);
    let launched: Awaited<ReturnType<typeof launchUnderConmon>>;
    try {
      launched = await launchUnderConmon(this.root, prepared, [...this.deps.cleanupCommand(), record.id]);
    } catch (err) {
      await this.release(prepared);
      if (record.config.autoRemove) await this.deleteFiles(record.id);
      throw err;
    }
    const running: ContainerRecord = {
      ...prepared,
      state: {
        status: 'running',
        paused: false,
        supervisor: 'conmon',
        supervisorPid: launched.conmonPid,
        pid: launched.pid,
        pidStartTicks: processStartTicks(launched.pid),
        startedAt: new Date().toISOString(),
        finishedAt: null,
        exitCode: null,
        error: null,
        restartCount: byPolicy ? record.state.restartCount + 1 : 0,
        stoppedByUser: false,
        restarting: false,
      },
    };
    writeRecord(this.root, running);
    try {
      await startContainer(record.id);
    } catch (err) {
      await tryRunc('delete', '--force', record.id);
      writeRecord(this.root, prepared);
      await this.release(prepared);
      if (record.config.autoRemove) await this.deleteFiles(record.id);
      throw err;
    }
    this.deps.changed(record.id, 'started', running);
    this.startHealthChecks(running);
    return running;
  }

  /** A run's health checks, beside it (core/runtime/health), when it has a check. */
  startHealthChecks(running: ContainerRecord): void {
    const command = this.deps.healthCheckCommand?.();
    if (command) startHealthChecks(this.root, running, command);
  }

  /**
   * `run -d`: create, then start. A container that cannot start (its port is taken, its user
   * unknown) is removed again, so that trying again with the same name works.
   */
  async run(request: RunRequest): Promise<StartedContainer> {
    const record = await this.create(request);
    try {
      // The notes come from the start itself: a --rm container that ended at once has no record to read them from.
      const running = await this.launch(record.id, false);
      return { ...summarize(running), notes: running.network?.notes ?? [] };
    } catch (err) {
      await this.remove(record.id, true, true).catch(() => undefined);
      throw err;
    }
  }

  /** A start made elsewhere (`run` in the foreground) reported as this class's own starts are. */
  noteStarted(record: ContainerRecord): void {
    this.deps.changed(record.id, 'started', record);
  }

  /**
   * network connect / disconnect: `change` gives the container's new networks from its record, read
   * under the lock, and (running) its attachment with the interface plugged or unplugged
   * (core/runtime/network/networkBackend.ts), so that an exit settled meanwhile sees it.
   */
  async setNetworks(
    ref: string,
    change: (record: ContainerRecord) => Promise<{
      mode: ContainerRecord['config']['network'];
      networks: JoinedNetwork[];
      attachment: ContainerRecord['network'];
    }>,
  ): Promise<void> {
    const { id } = await this.get(ref);
    await withStoreLock(
      this.deps.store.layout,
      async () => {
        const record = readRecord(containerPaths(this.root, id).record);
        const next = await change(record);
        writeRecord(this.root, {
          ...record,
          config: { ...record.config, network: next.mode, userNetwork: null, networks: next.networks },
          network: next.attachment,
        });
      },
      'containers',
    );
  }

  /** Resolves with the exit code when the container has ended (or null if its end went unrecorded). */
  async wait(ref: string, timeoutMs = Number.POSITIVE_INFINITY): Promise<ContainerRecord> {
    const deadline = Date.now() + timeoutMs;
    let record = await this.get(ref);
    while (record.state.status === 'running' && Date.now() < deadline) {
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
      const paths = containerPaths(this.root, record.id);
      if (!existsSync(paths.record)) return record;
      record = await this.refresh(readRecord(paths.record));
    }
    return record;
  }

  /** Sends a signal to the container's main process (docker kill). */
  async kill(ref: string, signal = 'SIGKILL'): Promise<ContainerSummary> {
    const record = await this.get(ref);
    if (record.state.status !== 'running') {
      throw new StevedoreError('CONFLICT', `container ${record.name} is not running`);
    }
    this.markStoppedByUser(record);
    await runc(['kill', record.id, parseSignal(signal)], `cannot signal container ${record.name}`);
    await this.thawForSignal(record);
    return summarize(record);
  }

  /**
   * Written before the signal, so that whoever records the end knows the restart policy must let
   * it be, and (`restarting`) that a --rm container is to be started again, not removed.
   */
  private markStoppedByUser(record: ContainerRecord, restarting = false): void {
    if (record.config.restart.name === 'no' && !restarting) return;
    const paths = containerPaths(this.root, record.id);
    const current = existsSync(paths.record) ? readRecord(paths.record) : record;
    writeRecord(this.root, { ...current, state: { ...current.state, stoppedByUser: true, restarting } });
  }

  /**
   * The restart policy, carried out after an end conmon reported: its exit command runs once per
   * run, so each end is decided once, whoever recorded it. Waits docker's back-off first, and starts
   * nothing if meanwhile the container was removed or started by someone else.
   */
  async applyRestartPolicy(id: string): Promise<void> {
    const paths = containerPaths(this.root, id);
    if (!existsSync(paths.record)) return;
    const ended = readRecord(paths.record);
    const { state } = ended;
    if (state.status !== 'exited' || !restartWanted(ended.config.restart, state)) return;
    await new Promise((resolve) => setTimeout(resolve, restartDelayMs(state.restartCount)));
    if (!existsSync(paths.record)) return;
    const now = readRecord(paths.record);
    if (now.state.status !== 'exited' || now.state.finishedAt !== state.finishedAt || now.state.stoppedByUser) return;
    await this.start(id, true);
  }

  /**
   * Docker's restart at daemon start, for a long-lived face that starts the engine: every container
   * that is not running (it ended while no engine ran, or vanished with the machine) and whose
   * policy wants it up is started again, by its policy. One that cannot start stays as it was.
   */
  async restartAtEngineStart(): Promise<string[]> {
    const started: string[] = [];
    for (const found of this.readAll()) {
      const record = await this.refresh(found).catch(() => null);
      if (record?.state.status !== 'exited' || !restartWantedAtEngineStart(record.config.restart, record.state)) continue;
      try {
        await this.start(record.id, true);
        started.push(record.id);
      } catch {
        // Its image or port is gone: `ps` keeps showing it exited, and `start` says why.
      }
    }
    return started;
  }

  /**
   * A frozen process takes no signal until thawed: after one is sent to a paused container it is
   * resumed, as docker does, so that stop, kill and rm -f end it.
   */
  private async thawForSignal(record: ContainerRecord): Promise<void> {
    if (record.state.paused) await tryRunc('resume', record.id);
  }

  /** docker stats: the running ones measured together; a stopped one reads as zeros, as docker shows it. */
  async stats(refs: string[]): Promise<ContainerStats[]> {
    const records = await Promise.all(refs.map((ref) => this.get(ref)));
    const running = records.filter((r) => r.state.status === 'running');
    const measured = new Map((await measureStats(running)).map((s) => [s.id, s]));
    return records.map((r) => measured.get(r.id) ?? idleStats(r));
  }

  /** docker pause: every process of the container frozen (runc pause: the cgroup freezer). */
  async pause(ref: string): Promise<ContainerSummary> {
    return this.setPaused(ref, true);
  }

  async unpause(ref: string): Promise<ContainerSummary> {
    return this.setPaused(ref, false);
  }

  private async setPaused(ref: string, paused: boolean): Promise<ContainerSummary> {
    const { id } = await this.get(ref);
    return withStoreLock(
      this.deps.store.layout,
      async () => {
        const record = readRecord(containerPaths(this.root, id).record);
        if (record.state.status !== 'running') throw new StevedoreError('CONFLICT', `Container ${id} is not running`);
        if (record.state.paused === paused) {
          throw new StevedoreError('CONFLICT', paused ? `Container ${id} is already paused` : `Container ${id} is not paused`);
        }
        if (paused) await runcPause(id, `cannot pause container ${record.name}`);
        else await runc(['resume', id], `cannot unpause container ${record.name}`);
        const changed: ContainerRecord = { ...record, state: { ...record.state, paused } };
        writeRecord(this.root, changed);
        this.deps.changed(id, paused ? 'paused' : 'unpaused');
        return summarize(changed);
      },
      'containers',
    );
  }

  /** `--volumes-from`: the binds and volumes of each container named, in order (a later one's win at one path). */
  private inheritedMounts(request: RunRequest): InheritedMounts {
    const byTarget = new Map<string, { bind?: VolumeMount; volume?: InheritedMounts['volumes'][number] }>();
    for (const text of request.volumesFrom ?? []) {
      const { ref, readOnly } = parseVolumesFrom(text);
      const from = volumesFrom(this.find(ref), readOnly);
      for (const bind of from.binds) byTarget.set(bind.target, { bind });
      for (const volume of from.volumes) byTarget.set(volume.target, { volume });
    }
    const entries = [...byTarget.values()];
    return {
      binds: entries.flatMap((e) => (e.bind ? [e.bind] : [])),
      volumes: entries.flatMap((e) => (e.volume ? [e.volume] : [])),
    };
  }

  /**
   * `signal` (`stop -s`), else its stop signal (`--stop-signal`, else the image's, else SIGTERM);
   * `timeoutSeconds` of grace (else its `--stop-timeout`, else 10; -1 waits for as long as it
   * takes), then SIGKILL.
   */
  async stop(ref: string, how: StopOptions = {}, restarting = false): Promise<ContainerSummary> {
    let record = await this.get(ref);
    // A signal that is no signal is refused whether or not the container runs.
    const signal = parseSignal(how.signal ?? record.config.stopSignal);
    if (record.state.status !== 'running') return summarize(record);
    this.markStoppedByUser(record, restarting);
    await tryRunc('kill', record.id, signal);
    await this.thawForSignal(record);
    const grace = how.timeoutSeconds ?? record.config.options.stopTimeout ?? 10;
    record = await this.wait(record.id, grace < 0 ? Number.POSITIVE_INFINITY : grace * 1000);
    if (record.state.status === 'running') {
      await tryRunc('kill', record.id, 'KILL');
      record = await this.wait(record.id, 10_000);
    }
    if (record.state.status === 'running') {
      throw new StevedoreError('INTERNAL', `container ${record.name} did not stop, even after SIGKILL`);
    }
    this.deps.changed(record.id, 'stopped', record);
    return summarize(record);
  }

  async restart(ref: string, how: StopOptions = {}): Promise<ContainerSummary> {
    const stopped = await this.stop(ref, how, true);
    return this.start(stopped.id);
  }

  /**
   * `docker rm`: a running container only with force (killed first). Its upper dir and bundle go;
   * with `removeVolumes` (`rm -v`) its anonymous volumes too, unless another container names them.
   */
  async remove(ref: string, force = false, removeVolumes = false): Promise<{ id: string }> {
    let record = await this.get(ref);
    if (record.state.status === 'running') {
      if (!force) {
        throw new StevedoreError('CONFLICT', `container ${record.name} is running: stop it first, or remove it with force`);
      }
      await tryRunc('kill', record.id, 'KILL');
      await this.thawForSignal(record);
      record = await this.wait(record.id, 10_000);
    }
    if (existsSync(containerPaths(this.root, record.id).dir)) {
      // An ended container gave back what it held when its end was recorded (settleExit); one
      // never started holds nothing. A network still noted is one a crash left behind.
      if (record.network) await detachNetwork(record.network, this.root);
      await this.deleteFiles(record.id);
    }
    // Its exit command may still be starting (a Node process); it finds no record now, and
    // returning before it ends would leave it writing to a store the caller may delete next.
    if (record.state.supervisor === 'conmon' && record.state.supervisorPid) {
      await conmonEnded(record.state.supervisorPid, record.id, 10_000);
    }
    const anonymous = anonymousVolumes(record.config.mounts);
    if (removeVolumes && anonymous.length > 0) {
      await this.volumes.locked(async () => this.volumes.removeAnonymousLocked(anonymous));
    }
    this.deps.changed(record.id, 'removed', record);
    return { id: record.id };
  }

  /** The log from `after` (or its last `tail` lines); with `follow`, waits up to `waitMs` for more. */
  async logs(
    ref: string,
    options: { after?: number | undefined; tail?: number | undefined; follow?: boolean | undefined },
    waitMs = 20_000,
  ): Promise<LogChunk> {
    const record = await this.get(ref);
    const paths = containerPaths(this.root, record.id);
    const { log } = paths;
    const running = () => record.state.status === 'running';
    let read =
      options.after === undefined && options.tail !== undefined
        ? tailLog(log, options.tail)
        : readLog(log, options.after ?? 0, !running());
    if (options.follow && read.entries.length === 0 && running()) {
      // Held open while this waits: a --rm container's log goes with it as soon as its end is
      // settled, which can be before this reads what it wrote last (start -a lost a short run's
      // whole output so). The open file is read through /proc after its directory is gone.
      const held = openIfPresent(log);
      try {
        const source = held === undefined ? log : `/proc/self/fd/${held}`;
        // Its end, or its removal (a --rm container settled before this looked).
        const ended = () => existsSync(paths.exitFile) || !existsSync(paths.record);
        await waitForLog(log, read.cursor, ended, waitMs);
        const now = await this.get(record.id).catch(() => undefined);
        const over = now === undefined || now.state.status !== 'running';
        // An ended container's last line counts even without its newline.
        read = readLog(source, read.cursor, over || existsSync(paths.exitFile));
        if (!now) return { ...read, ended: true, ...exitCodeOf(diedWith(this.root, record.id)) };
        return { ...read, ended: over, ...exitCodeOf(over ? now.state.exitCode : null) };
      } finally {
        if (held !== undefined) closeSync(held);
      }
    }
    return { ...read, ended: !running(), ...exitCodeOf(running() ? null : record.state.exitCode) };
  }

  /** Images that containers stand on: not to be deleted while those containers exist. */
  imagesInUse(): Map<string, string[]> {
    const byImage = new Map<string, string[]>();
    for (const r of this.readAll()) byImage.set(r.imageId, [...(byImage.get(r.imageId) ?? []), r.name]);
    return byImage;
  }
}

/** A descriptor of `file` for reading, or undefined when it does not exist (yet). */
function openIfPresent(file: string): number | undefined {
  try {
    return openSync(file, 'r');
  } catch {
    return undefined;
  }
}

/** A log chunk's `exitCode`, present only when known. */
function exitCodeOf(code: number | null | undefined): { exitCode?: number } {
  return code === null || code === undefined ? {} : { exitCode: code };
}

function hostHostname(): string {
  return hostname() || 'localhost';
}

export function summarize(record: ContainerRecord): ContainerSummary {
  return {
    id: record.id,
    name: record.name,
    image: record.image,
    imageId: record.imageId,
    command: shellQuote(record.config.args),
    created: record.created,
    state: record.state.status === 'running' && record.state.paused ? 'paused' : record.state.status,
    startedAt: record.state.startedAt,
    finishedAt: record.state.finishedAt,
    exitCode: record.state.exitCode,
    error: record.state.error,
    ports: record.state.status === 'running' ? (record.network?.ports ?? []) : [],
    network: networkName(record),
    networkNames: networkNames(record),
    ipAddress: record.state.status === 'running' ? (record.network?.ipAddress ?? null) : null,
    tty: record.config.tty,
    labels: record.config.options.labels,
  };
}

/** The health check's verdict of the current run, read from its file (null: no check, or not running). */
function withHealth(root: string, record: ContainerRecord, summary: ContainerSummary): ContainerSummary {
  if (!record.config.healthcheck || record.state.status !== 'running') return { ...summary, health: null };
  return { ...summary, health: readHealth(containerPaths(root, record.id).dir).status };
}

function detail(root: string, record: ContainerRecord): ContainerDetail {
  const paths = containerPaths(root, record.id);
  const running = record.config.healthcheck && record.state.status === 'running';
  return {
    ...withHealth(root, record, summarize(record)),
    healthcheck: record.config.healthcheck,
    healthState: running ? readHealth(paths.dir) : null,
    pid: record.state.status === 'running' ? record.state.pid : null,
    args: record.config.args,
    env: record.config.env,
    workingDir: record.config.workingDir,
    user: record.config.user,
    hostname: record.config.hostname,
    volumes: record.config.volumes,
    mounts: record.config.mounts,
    stopSignal: record.config.stopSignal,
    autoRemove: record.config.autoRemove,
    restartPolicy: record.config.restart,
    restartCount: record.state.restartCount,
    networks: networkEntries(record),
    oomKilled: record.state.status === 'exited' && existsSync(paths.oomFile),
    devices: record.config.options.devices,
    ulimits: record.config.options.ulimits,
    sysctls: record.config.options.sysctls,
    shmSizeBytes: record.config.options.shmSizeBytes,
    groupAdd: record.config.options.groupAdd,
    stopTimeout: record.config.options.stopTimeout,
    bundle: paths.dir,
    logPath: paths.log,
  };
}
