import { readFileSync } from 'node:fs';

let cached: boolean | undefined;

/**
 * Whether this process runs in a user namespace other than the host's: its uid map is not the
 * initial one (`0 0 4294967295`). Root there is root of the namespace only (rootless runc).
 */
export function inUserNamespace(): boolean {
  if (cached === undefined) {
    try {
      cached = readFileSync('/proc/self/uid_map', 'utf8').trim().split(/\s+/).join(' ') !== '0 0 4294967295';
    } catch {
      cached = false;
    }
  }
  return cached;
}
