import { isAlive, procStat } from '../system/procStats.js';

/**
 * A process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or null when
 * there is no such process. PID and start time together name one process: a PID the kernel has
 * given to someone else since has another start time.
 */
export function processStartTicks(pid: number): number | null {
  const stat = procStat(pid);
  // A zombie has ended; only its parent has not collected it yet.
  return !isAlive(stat) || !Number.isFinite(stat.startTicks) ? null : stat.startTicks;
}

export function isSameProcess(pid: number | null, startTicks: number | null): boolean {
  if (pid === null) return false;
  const now = processStartTicks(pid);
  return now !== null && (startTicks === null || now === startTicks);
}
