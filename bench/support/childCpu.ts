import { readFileSync } from 'node:fs';
import type { Contender } from '../timing.js';

/** Clock ticks a second in /proc's times (USER_HZ: 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) of this process's children that have ended and been waited for,
 * theirs included: `cutime` + `cstime` of /proc/self/stat. 10 ms resolution.
 */
export function waitedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command (which may hold spaces), from field 3 on: cutime and cstime are 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
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
