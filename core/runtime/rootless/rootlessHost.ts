import { accessSync, constants, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { type IdRange, readSubordinateRange } from './subordinateIds.js';

/** What decides whether this user can run containers in a user namespace here. */
export interface RootlessHost {
  /** Why user namespaces cannot be used here, or null when they can. */
  blocker: string | null;
  /** The user's subordinate uids and gids, or null: then one id only (the user's own, as root). */
  range: { uid: IdRange; gid: IdRange } | null;
}

/** The first sysctl that turns unprivileged user namespaces off, in the words of its name. */
export function userNamespaceBlocker(readSysctl: (name: string) => string | null = sysctl): string | null {
  if (readSysctl('user/max_user_namespaces') === '0') return 'user namespaces are off (sysctl user.max_user_namespaces = 0)';
  // Debian's and Ubuntu's own switch for unprivileged ones.
  if (readSysctl('kernel/unprivileged_userns_clone') === '0')
    return 'unprivileged user namespaces are off (sysctl kernel.unprivileged_userns_clone = 0)';
  // Ubuntu 24.04: only programs with an AppArmor profile allowing it may make one.
  if (readSysctl('kernel/apparmor_restrict_unprivileged_userns') === '1')
    return 'AppArmor restricts unprivileged user namespaces (sysctl kernel.apparmor_restrict_unprivileged_userns = 1)';
  return null;
}

function sysctl(name: string): string | null {
  try {
    return readFileSync(join('/proc/sys', name), 'utf8').trim();
  } catch {
    return null;
  }
}

/** The first of `tools` not on PATH (or the sbin directories), or null when all are there. */
export function missingTool(tools: string[]): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean);
  for (const tool of tools) {
    const found = dirs.some((dir) => {
      try {
        accessSync(join(dir, tool), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    if (!found) return tool;
  }
  return null;
}

/** What each tool comes in, on Debian, for the error that names it. */
const PACKAGE_OF: Record<string, string> = {
  unshare: 'util-linux',
  nsenter: 'util-linux',
  newuidmap: 'uidmap',
  newgidmap: 'uidmap',
  runc: 'runc',
  conmon: 'conmon',
};

/** This user's facts (uid and name as the kernel and /etc/passwd know them). */
export function rootlessHost(uid: number, name = userInfo().username): RootlessHost {
  const user = { id: uid, name };
  const uids = readSubordinateRange('/etc/subuid', user);
  const gids = readSubordinateRange('/etc/subgid', user); // keyed by the user too, not the group
  const range = uids && gids ? { uid: uids, gid: gids } : null;
  const tools = ['unshare', 'nsenter', 'runc', 'conmon', ...(range ? ['newuidmap', 'newgidmap'] : [])];
  const missing = missingTool(tools);
  const blocker =
    userNamespaceBlocker() ?? (missing ? `${missing} is not installed (Debian: apt-get install ${PACKAGE_OF[missing]})` : null);
  return { blocker, range };
}
