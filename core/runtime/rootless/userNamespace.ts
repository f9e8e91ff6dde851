import { readFileSync } from 'node:fs';

/** This process's uid or gid map: `inside outside count` lines, as /proc/self/{uid,gid}_map give them. */
function idMap(which: 'uid_map' | 'gid_map'): number[][] {
  try {
    return readFileSync(`/proc/self/${which}`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number));
  } catch {
    return [[0, 0, 4294967295]];
  }
}

let cached: { inNamespace: boolean; singleId: boolean; gids: number[][] } | undefined;

function facts() {
  if (!cached) {
    const uids = idMap('uid_map');
    const initial = uids.length === 1 && uids[0]?.join(' ') === '0 0 4294967295';
    cached = { inNamespace: !initial, singleId: !initial && uids.length === 1 && uids[0]?.[2] === 1, gids: idMap('gid_map') };
  }
  return cached;
}

/**
 * Whether this process runs in a user namespace other than the host's: its uid map is not the
 * initial one (`0 0 4294967295`). Root there is root of the namespace only (rootless runc).
 */
export function inUserNamespace(): boolean {
  return facts().inNamespace;
}

/** In a user namespace that maps one id only (no subordinate range): nobody but root exists there. */
export function singleIdNamespace(): boolean {
  return facts().singleId;
}

/** Whether group `gid` exists in this process's namespace (a mount option naming one that does not is refused). */
export function gidMapped(gid: number): boolean {
  return facts().gids.some(([inside = 0, , count = 0]) => gid >= inside && gid < inside + count);
}
