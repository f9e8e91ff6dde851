import { rmSync, statSync } from 'node:fs';
import { CLOCK_TICKS_PER_SECOND, isAlive, procRssBytes, procStat, secondsSince } from '../system/procStats.js';
import { VERSION } from '../version.js';
import { probeAccelerator } from './accelProbe.js';
import { agentDelivery, agentToken, freeLoopbackPort } from './agentDelivery.js';
import { readGuestManifest } from './guestImageUnpack.js';
import { startHostShare } from './hostShare.js';
import { type BootReport, Machine } from './machine.js';
import { readMachineConfig } from './machineConfig.js';
import { MachineError } from './machineError.js';
import { type MachinePaths, prepareMachineDirs } from './machinePaths.js';
import { clearRunRecord, type MachineState, machineState, readRunRecord, writeRunRecord } from './machineRun.js';
import { findQemu } from './qemuBinary.js';
import { QmpClient } from './qmp.js';

export interface StartReport extends BootReport {
  acceleratorReason: string;
  pid: number;
}

export function agentMismatch(paths: MachinePaths, version: string): MachineError {
  return new MachineError(
    'agent-version',
    `The machine "${paths.name}"'s guest image holds agent ${version}, this engine needs ${VERSION}: rebuild or re-pull the guest image (\`stevedore machine rm\`, then \`stevedore machine init\`).`,
  );
}

function refuseRunning(paths: MachinePaths, s: MachineState): void {
  if (s.state === 'stopped') return;
  throw new MachineError('running', `The machine "${paths.name}" is already ${s.state} (QEMU pid ${s.pid}).`);
}

/**
 * `machine start`: boots the machine's QEMU detached from this process (its own session, a
 * pidfile, its stderr to a file), waits for the agent's ready line and returns; QEMU runs on.
 */
export async function startMachine(paths: MachinePaths, log: (line: string) => void = () => {}): Promise<StartReport> {
  const config = readMachineConfig(paths);
  refuseRunning(paths, machineState(paths));
  prepareMachineDirs(paths);
  const qemu = findQemu();
  // The agent must be this engine's own version; the image's manifest says which it holds.
  if (readGuestManifest(paths).agentVersion !== VERSION) throw agentMismatch(paths, readGuestManifest(paths).agentVersion);
  const choice = await probeAccelerator({ qemu, kernel: paths.kernel, cacheFile: paths.acceleratorCache });
  clearRunRecord(paths);
  const agent = { port: await freeLoopbackPort(), token: agentToken() };
  const delivery = agentDelivery(agent.token);
  let share = await startHostShare(paths);
  log(`Starting machine "${paths.name}" (${choice.accel}${choice.cached ? '' : `: ${choice.reason}`})`);
  const boot = (): Promise<BootReport> =>
    new Machine({
      paths,
      guest: { kernel: paths.kernel, initrd: paths.initrd, rootfs: paths.rootfs, agentVersion: VERSION },
      accel: choice.accel,
      cpus: config.cpus,
      memoryMiB: config.memoryMiB,
      diskBytes: config.diskGiB * 1024 ** 3,
      qemu,
      detached: true,
      delivery,
      agentHostPort: agent.port,
      ...(share.socket !== undefined ? { hostShareSocket: share.socket } : {}),
      onSpawned: (pid) => {
        const stat = procStat(pid);
        if (!stat) return; // already gone: start() reports how
        writeRunRecord(paths, {
          pid,
          startTicks: stat.startTicks,
          accelerator: choice.accel,
          acceleratorReason: choice.reason,
          started: new Date().toISOString(),
          agent,
          share: 'why' in share ? { mounted: false, why: share.why } : { mounted: true },
        });
      },
    }).start();
  let report: BootReport;
  try {
    try {
      report = await boot();
    } catch (err) {
      // The share is the one optional part: a virtiofsd QEMU cannot talk to must not cost the machine.
      if (!(share.socket !== undefined && err instanceof MachineError && /vhost/.test(err.message))) throw err;
      share = { why: `the host share (virtiofsd) failed: ${/\(qemu[^)]*: ([^)]*)\)/.exec(err.message)?.[1] ?? err.message}` };
      log(`Starting again without the host's files (${share.why})`);
      clearRunRecord(paths);
      report = await boot();
    }
  } catch (err) {
    clearRunRecord(paths);
    throw err;
  }
  const record = readRunRecord(paths);
  if (!record) throw new MachineError('did-not-boot', `The machine "${paths.name}" lost its run record while it booted.`);
  writeRunRecord(paths, {
    ...record,
    ready: { bootMs: Math.round(report.bootMs), agentVersion: report.agentVersion, readyLine: report.readyLine },
  });
  return { ...report, acceleratorReason: choice.reason, pid: record.pid };
}

/** Until the process is gone (or a zombie awaiting its parent), or `ms` have passed. */
async function ended(pid: number, startTicks: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const stat = procStat(pid);
    if (!isAlive(stat) || stat.startTicks !== startTicks) return true;
    if (Date.now() >= deadline) return false;
    // Not our child (the start command that spawned it has exited): no exit event to wait on.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function killQemu(pid: number, startTicks: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {}
  if (!(await ended(pid, startTicks, 10_000))) throw new MachineError('running', `QEMU (pid ${pid}) did not end after SIGKILL.`);
}

export interface StopResult {
  how: 'powered-off' | 'killed' | 'not-running';
  ms: number;
}

/**
 * `machine stop`: ACPI power-off through QMP (the guest's acpid and init stop the agent and put
 * the data disk down), then SIGKILL if QEMU has not ended within `timeoutMs`.
 */
export async function stopMachine(paths: MachinePaths, timeoutMs = 30_000): Promise<StopResult> {
  readMachineConfig(paths);
  const started = performance.now();
  const s = machineState(paths);
  if (s.state === 'stopped') {
    clearRunRecord(paths);
    return { how: 'not-running', ms: 0 };
  }
  const deadline = Date.now() + timeoutMs;
  let asked = false;
  try {
    const qmp = await QmpClient.connect(paths.qmpSocket, () => {}, Math.min(5000, timeoutMs));
    try {
      await qmp.execute('system_powerdown');
      asked = true;
    } finally {
      qmp.close();
    }
  } catch {
    // QMP not answering: the kill below.
  }
  let how: StopResult['how'] = 'powered-off';
  if (!asked || !(await ended(s.pid, s.stat.startTicks, Math.max(0, deadline - Date.now())))) {
    await killQemu(s.pid, s.stat.startTicks);
    how = 'killed';
  }
  clearRunRecord(paths);
  return { how, ms: performance.now() - started };
}

/** `machine rm`: refuses a machine that runs unless `force`, which kills it first. */
export async function removeMachine(paths: MachinePaths, force: boolean): Promise<void> {
  readMachineConfig(paths);
  const s = machineState(paths);
  if (s.state !== 'stopped') {
    if (!force)
      throw new MachineError(
        'running',
        `The machine "${paths.name}" is ${s.state}: stop it first (\`stevedore machine stop\`), or remove it anyway with \`stevedore machine rm -f\`.`,
      );
    await killQemu(s.pid, s.stat.startTicks);
  }
  rmSync(paths.dir, { recursive: true, force: true });
}

export interface MachineStatus {
  name: string;
  state: 'stopped' | 'starting' | 'running';
  accelerator?: string;
  acceleratorReason?: string;
  /** What QEMU's QMP says (query-status), when it answered. */
  qemuStatus?: string;
  pid?: number;
  uptimeSeconds?: number;
  /** QEMU's CPU time (user + system) and resident memory, from /proc/<pid>. */
  cpuSeconds?: number;
  rssBytes?: number;
  bootSeconds?: number;
  /** Boots the data disk has seen, as the agent counted at its last ready line. */
  dataDiskBoots?: number;
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  /** Bytes the sparse data disk takes on the host. */
  diskBytesUsed: number;
  image: string;
  imageDigest: string;
  agentVersion: string;
}

/**
 * `machine status`: the state from the pidfile and /proc, and from QMP what QEMU itself says:
 * its run state and whether KVM is on (query-kvm), beside the probe's reason for the choice.
 */
export async function machineStatus(paths: MachinePaths): Promise<MachineStatus> {
  const config = readMachineConfig(paths);
  const s = machineState(paths);
  let diskBytesUsed = 0;
  try {
    diskBytesUsed = statSync(paths.dataDisk).blocks * 512;
  } catch {}
  const base: MachineStatus = {
    name: config.name,
    state: s.state,
    cpus: config.cpus,
    memoryMiB: config.memoryMiB,
    diskGiB: config.diskGiB,
    diskBytesUsed,
    image: config.image,
    imageDigest: config.imageDigest,
    agentVersion: config.agentVersion,
  };
  if (s.state === 'stopped') return base;
  let accelerator: string = s.record.accelerator;
  let qemuStatus: string | undefined;
  try {
    const qmp = await QmpClient.connect(paths.qmpSocket, () => {}, 3000);
    try {
      qemuStatus = ((await qmp.execute('query-status')) as { status?: string }).status;
      accelerator = ((await qmp.execute('query-kvm')) as { enabled?: boolean }).enabled ? 'kvm' : 'tcg';
    } finally {
      qmp.close();
    }
  } catch {}
  const boots = /\bboots=(\d+)/.exec(s.record.ready?.readyLine ?? '')?.[1];
  return {
    ...base,
    accelerator,
    acceleratorReason: s.record.acceleratorReason,
    ...(qemuStatus ? { qemuStatus } : {}),
    pid: s.pid,
    uptimeSeconds: Math.round(secondsSince(s.stat.startTicks)),
    cpuSeconds: s.stat.cpuTicks / CLOCK_TICKS_PER_SECOND,
    rssBytes: procRssBytes(s.pid) ?? 0,
    ...(s.record.ready ? { bootSeconds: s.record.ready.bootMs / 1000 } : {}),
    ...(boots ? { dataDiskBoots: Number(boots) } : {}),
  };
}
