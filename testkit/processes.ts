import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether a process runs whose command line has every one of `words` among its arguments
 * (conmon's exit command `container-cleanup ID`, a health-check loop's `container-healthcheck ID`).
 */
export function processRunningWith(...words: string[]): boolean {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .some((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return words.every((word) => args.includes(word));
      } catch {
        return false; // ended while listed
      }
    });
}
