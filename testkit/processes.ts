import { readdirSync, readFileSync } from 'node:fs';

/** The pids of the processes whose command line (its arguments, split) passes `test`. */
export function processesWhere(test: (args: string[]) => boolean): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        return test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
      } catch {
        return false; // ended while listed
      }
    })
    .map(Number);
}

/**
 * Whether a process runs whose command line has every one of `words` among its arguments
 * (conmon's exit command `container-cleanup ID`, a health-check loop's `container-healthcheck ID`).
 */
export function processRunningWith(...words: string[]): boolean {
  return processesWhere((args) => words.every((word) => args.includes(word))).length > 0;
}
