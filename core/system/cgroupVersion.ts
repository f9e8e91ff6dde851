import { statfsSync } from 'node:fs';

/** Where the host mounts its cgroups. */
export const CGROUP_ROOT = '/sys/fs/cgroup';
const CGROUP2_MAGIC = 0x63677270;

/** Whether the host runs the unified hierarchy (cgroup v2) at /sys/fs/cgroup, rather than v1's controllers. */
export function cgroupV2(): boolean {
  try {
    return statfsSync(CGROUP_ROOT).type === CGROUP2_MAGIC;
  } catch {
    return false;
  }
}
