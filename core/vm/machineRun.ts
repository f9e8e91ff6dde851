import { readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../system/atomicFile.js';
import { isAlive, type ProcStat, procStat } from '../system/procStats.js';
import type { MachinePaths } from './machinePaths.js';
import type { Accelerator } from './qemuCommand.js';

/**
 * `run.json`: what `machine start` knew of the QEMU it started, written when QEMU is spawned and
 * again when its agent is ready. With QEMU's own pidfile it tells a later command (status, stop,
 * rm, another start) whether the machine runs, and whether that pid is still the same QEMU.
 */
export interface RunRecord {
  pid: number;
  /** QEMU's start time in /proc (clock ticks after boot): a pid reused later does not match it. */
  startTicks: number;
  accelerator: Accelerator;
  acceleratorReason: string;
  started: string;
  ready?: { bootMs: number; agentVersion: string; readyLine: string };
  /** Where the agent answers: the host's loopback port QEMU forwards, and the token it demands. */
  agent?: { port: number; token: string };
  /** Whether the host's files are in the guest (at HOST_SHARE_MOUNT), or why not. */
  share?: { mounted: true } | { mounted: false; why: string };
}

export type MachineState =
  | { state: 'stopped' }
  | { state: 'starting' | 'running'; pid: number; record: RunRecord; stat: ProcStat };

export function readRunRecord(paths: MachinePaths): RunRecord | undefined {
  try {
    return JSON.parse(readFileSync(paths.runRecord, 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

export function writeRunRecord(paths: MachinePaths, record: RunRecord): void {
  writeFileAtomic(paths.runRecord, `${JSON.stringify(record, null, 2)}\n`);
}

/** QEMU's pidfile (written by QEMU itself once it is up), if there is one. */
function pidFromPidFile(paths: MachinePaths): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(paths.pidFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the machine's QEMU is there: the pid in QEMU's pidfile (or, in the moment before QEMU
 * writes it, the one `start` recorded), alive, and started when the record says. Running once
 * the agent said it was ready, starting before.
 */
export function machineState(paths: MachinePaths): MachineState {
  const record = readRunRecord(paths);
  if (!record) return { state: 'stopped' };
  const pid = pidFromPidFile(paths) ?? record.pid;
  const stat = procStat(pid);
  if (pid !== record.pid || !isAlive(stat) || stat.startTicks !== record.startTicks) return { state: 'stopped' };
  return { state: record.ready ? 'running' : 'starting', pid, record, stat };
}

/** After QEMU has ended: what said it ran goes (QEMU leaves its pidfile when it is killed). */
export function clearRunRecord(paths: MachinePaths): void {
  rmSync(paths.runRecord, { force: true });
  rmSync(paths.pidFile, { force: true });
}
