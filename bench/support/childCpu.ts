import { readFileSync } from 'node:fs';
import type { Contender } from '../timing.js';

/** Clock ticks a second in /proc's times (USER_HZ: 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/** Fields of /proc/PID/stat from field 3 on (after the command, which may hold spaces). */
function statFields(pid: number | 'self'): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Two clock-tick fields of /proc/PID/stat (numbered from 1, as proc(5) does), summed, in ms. */
function ticksMs(fields: string[], a: number, b: number): number {
  return ((Number(fields[a - 3]) + Number(fields[b - 3])) * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU time (user + system, ms) of this process's children that have ended and been waited for,
 * theirs included: `cutime` + `cstime` of /proc/self/stat. 10 ms resolution.
 */
export function waitedChildrenCpuMs(): number {
  return ticksMs(statFields('self'), 16, 17);
}

/** CPU time (user + system, ms) a running process has used so far: `utime` + `stime`. */
export function processCpuMs(pid: number): number {
  return ticksMs(statFields(pid), 14, 15);
}

/**
 * The contender, also noting the CPU its program (and what that waited for) used in each run, into
 * `samples` under its label, warm-ups included. Read outside the clock: before `run`, and first
 * thing after it, before the contender's own clean-up starts other programs.
 */
export function withChildCpu(contender: Contender, samples: Map<string, number[]>): Contender {
  let before = 0;
  return {
    label: contender.label,
    prepare: async () => {
      await contender.prepare?.();
      before = waitedChildrenCpuMs();
    },
    run: contender.run,
    cleanUp: async () => {
      const used = waitedChildrenCpuMs() - before;
      samples.set(contender.label, [...(samples.get(contender.label) ?? []), used]);
      await contender.cleanUp?.();
    },
  };
}
