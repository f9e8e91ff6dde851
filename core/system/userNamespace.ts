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

/** Whether user `uid` exists in this process's namespace (chown to one that does not fails with EINVAL). */
export function uidMapped(uid: number): boolean {
  return idMap('uid_map').some(([inside = 0, , count = 0]) => uid >= inside && uid < inside + count);
}

/**
 * The one-line error for a layer entry whose owner this user namespace does not map: the user's
 * range in /etc/subuid and /etc/subgid is smaller than the image's ids, which only root can widen.
 */
export function unmappedOwnerMessage(name: string, uid: number, gid: number): string {
  const which = uidMapped(uid) ? `gid ${gid}` : `uid ${uid}`;
  const needed = Math.max(uid, gid);
  return `layer entry "${name}" is owned by ${which}, outside the ids this user's namespace maps (root and the user's /etc/subuid and /etc/subgid range): root can widen it to ${needed} ids or more (usermod --add-subuids START-END --add-subgids START-END USER), which applies once the store's namespace starts again`;
}
