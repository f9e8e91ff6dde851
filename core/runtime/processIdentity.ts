import { readFileSync } from 'node:fs';

/**
 * A process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or null when
 * there is no such process. PID and start time together name one process: a PID the kernel has
 * given to someone else since has another start time.
 */
export function processStartTicks(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  // A zombie has ended; only its parent has not collected it yet.
  return fields[0] === 'Z' || !Number.isFinite(ticks) ? null : ticks;
}

export function isSameProcess(pid: number | null, startTicks: number | null): boolean {
  if (pid === null) return false;
  const now = processStartTicks(pid);
  return now !== null && (startTicks === null || now === startTicks);
}
