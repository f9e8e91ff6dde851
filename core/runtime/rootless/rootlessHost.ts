import { closeSync, openSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { toolPath } from '../../system/toolPath.js';
import { type IdRange, readSubordinateRange } from './subordinateIds.js';

/** What decides whether this user can run containers in a user namespace here. */
export interface RootlessHost {
  /** Why user namespaces cannot be used here, or null when they can. */
  blocker: string | null;
  /** The user's subordinate uids and gids, or null: then one id only (the user's own, as root). */
  range: { uid: IdRange; gid: IdRange } | null;
  /** Why containers would get no network (pasta missing, /dev/net/tun closed), with the fix; null when they get one. */
  network?: string | null;
}

/** The first sysctl that turns unprivileged user namespaces off, in the words of its name. */
export function userNamespaceBlocker(readSysctl: (name: string) => string | null = sysctl): string | null {
  if (readSysctl('user/max_user_namespaces') === '0')
    return 'user namespaces are off (sysctl user.max_user_namespaces = 0): root turns them on (sysctl -w user.max_user_namespaces=15000)';
  // Debian's and Ubuntu's own switch for unprivileged ones.
  if (readSysctl('kernel/unprivileged_userns_clone') === '0')
    return 'unprivileged user namespaces are off (sysctl kernel.unprivileged_userns_clone = 0): root turns them on (sysctl -w kernel.unprivileged_userns_clone=1)';
  // Ubuntu 24.04: only programs with an AppArmor profile allowing it may make one.
  if (readSysctl('kernel/apparmor_restrict_unprivileged_userns') === '1')
    return 'AppArmor restricts unprivileged user namespaces (sysctl kernel.apparmor_restrict_unprivileged_userns = 1): root allows them with an AppArmor profile granting userns to node, or for all programs (sysctl -w kernel.apparmor_restrict_unprivileged_userns=0)';
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
  return missingTools(tools)[0] ?? null;
}

/** Those of `tools` not on PATH (or the sbin directories). */
export function missingTools(tools: string[]): string[] {
  return tools.filter((tool) => toolPath(tool) === null);
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

/** The missing tools in one sentence each package, e.g. `newuidmap and newgidmap are not installed (Debian: apt-get install uidmap)`. */
export function describeMissing(missing: string[]): string | null {
  const byPackage = new Map<string, string[]>();
  for (const tool of missing) byPackage.set(PACKAGE_OF[tool] ?? tool, [...(byPackage.get(PACKAGE_OF[tool] ?? tool) ?? []), tool]);
  const parts = [...byPackage].map(
    ([pkg, tools]) => `${tools.join(' and ')} ${tools.length > 1 ? 'are' : 'is'} not installed (Debian: apt-get install ${pkg})`,
  );
  return parts.length > 0 ? parts.join('; ') : null;
}

/**
 * This user's facts (uid and name as the kernel and /etc/passwd know them): everything that blocks
 * rootless containers (user namespaces off, each missing tool), and what would leave them without
 * a network (`network`: pasta, /dev/net/tun), each with its fix.
 */
export function rootlessHost(uid: number, name = userInfo().username): RootlessHost {
  const user = { id: uid, name };
  const uids = readSubordinateRange('/etc/subuid', user);
  const gids = readSubordinateRange('/etc/subgid', user); // keyed by the user too, not the group
  const range = uids && gids ? { uid: uids, gid: gids } : null;
  const tools = ['unshare', 'nsenter', 'runc', 'conmon', ...(range ? ['newuidmap', 'newgidmap'] : [])];
  const blockers = [userNamespaceBlocker(), describeMissing(missingTools(tools))].filter((b): b is string => b !== null);
  return { blocker: blockers.length > 0 ? blockers.join('; ') : null, range, network: pastaBlocker() };
}

const TUN = '/dev/net/tun';

/**
 * Why pasta cannot give a rootless container its network for this user, with the fix, or null
 * when it can. Read by `info` (through the runtime's reason) as well as before each container.
 */
export function pastaBlocker(): string | null {
  // Found as execFile finds it (rootlessNetwork.ts runs `pasta` from PATH).
  if (missingTool(['pasta'])) return 'the rootless network needs pasta, which is not installed (Debian: apt-get install passt)';
  try {
    // pasta opens the device in the container's namespace; opening it here (no ioctl) is what tells.
    closeSync(openSync(TUN, 'r+'));
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `the rootless network needs ${TUN}, which this machine lacks (modprobe tun)`;
    return `the rootless network needs ${TUN}, which this user cannot open (${code}): Debian's default is mode 0666 (chmod 0666 ${TUN})`;
  }
}
