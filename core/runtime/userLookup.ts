import { StevedoreError } from '../errors.js';
import { readRootfsFile } from './rootfsFile.js';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

/**
 * The image's own file, read by readRootfsFile: a link to a host file is read inside the rootfs,
 * a FIFO, a device or a huge file is refused in one line. A missing file has no entries.
 */
function readInRoot(rootfs: string, path: string): string[][] {
  return (readRootfsFile(rootfs, path) ?? '')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

const numeric = (s: string) => /^\d+$/.test(s);

/** `USER[:GROUP]`, names or numbers, resolved from the image's own /etc/passwd and /etc/group. */
export function resolveUser(rootfs: string, spec: string): ResolvedUser {
  if (spec === '') return { uid: 0, gid: 0, additionalGids: [0] };
  const [userPart = '', groupPart] = spec.split(':', 2);
  const passwd = readInRoot(rootfs, '/etc/passwd');
  const groups = readInRoot(rootfs, '/etc/group');
  let uid: number;
  let gid = 0;
  let name: string | undefined;
  const entry = passwd.find((p) => (numeric(userPart) ? p[2] === userPart : p[0] === userPart));
  if (entry) {
    uid = Number(entry[2]);
    gid = Number(entry[3] ?? 0);
    name = entry[0];
  } else if (numeric(userPart)) {
    uid = Number(userPart);
  } else {
    throw new StevedoreError('INVALID_ARGUMENT', `unable to find user ${userPart}: no matching entries in passwd file`);
  }
  if (groupPart !== undefined) {
    const group = groups.find((g) => (numeric(groupPart) ? g[2] === groupPart : g[0] === groupPart));
    if (group) gid = Number(group[2]);
    else if (numeric(groupPart)) gid = Number(groupPart);
    else throw new StevedoreError('INVALID_ARGUMENT', `unable to find group ${groupPart}: no matching entries in group file`);
  }
  // runc's GetExecUser: "Supplementary group ids only make sense if in the implicit form", so
  // `uid:gid` (and `user:group`) get none from /etc/group; a user alone gets those that list it.
  const additionalGids =
    name && groupPart === undefined ? groups.filter((g) => (g[3] ?? '').split(',').includes(name!)).map((g) => Number(g[2])) : [];
  // As docker does, the primary group is listed among the groups too.
  return { uid, gid, additionalGids: [...new Set([gid, ...additionalGids])] };
}

/**
 * docker's `--group-add`: more supplementary groups for the container's process, each a name in
 * the image's /etc/group or a number, after those the user has. A name the file lacks is refused.
 */
export function withAddedGroups(rootfs: string, user: ResolvedUser, added: readonly string[]): ResolvedUser {
  if (added.length === 0) return user;
  const groups = readInRoot(rootfs, '/etc/group');
  const gids = added.map((name) => {
    if (numeric(name)) return Number(name);
    const group = groups.find((g) => g[0] === name);
    if (!group) throw new StevedoreError('INVALID_ARGUMENT', `unable to find group ${name}: no matching entries in group file`);
    return Number(group[2]);
  });
  return { ...user, additionalGids: [...new Set([...user.additionalGids, ...gids])] };
}
