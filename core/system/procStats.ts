import { readFileSync } from 'node:fs';

/**
 * What Linux says of a process in /proc (proc(5)): whether it is there and not a zombie, when it
 * started (to tell it from a later process given the same pid), its CPU time and resident memory.
 */
export interface ProcStat {
  /** One letter: R, S, D, Z (zombie: ended, not yet reaped), … */
  state: string;
  /** Field 22, starttime: clock ticks after the host booted. */
  startTicks: number;
  /** Fields 14 and 15, utime + stime, in clock ticks. */
  cpuTicks: number;
}

/** USER_HZ, the unit of /proc's times: 100 on every Linux architecture Stevedore runs on. */
export const CLOCK_TICKS_PER_SECOND = 100;

export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const at = (field: number) => Number(fields[field - 3]);
  return { state: fields[0] ?? '?', startTicks: at(22), cpuTicks: at(14) + at(15) };
}

/** Resident memory in bytes (VmRSS), or undefined when the process is gone. */
export function procRssBytes(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Seconds since a process that started at `startTicks` started. */
export function secondsSince(startTicks: number): number {
  const hostUptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Math.max(0, hostUptime - startTicks / CLOCK_TICKS_PER_SECOND);
}

/** The process is there and has not ended (a zombie has). */
export function isAlive(stat: ProcStat | undefined): stat is ProcStat {
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}
