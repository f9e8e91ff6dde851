import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerPaths } from '../containerRecord.js';
import { currentBootId, readLeases, withNetworkLock } from './leaseStore.js';

/** Beside a container's hosts file: its `--add-host` lines, which every rewrite keeps. */
const ADDED_HOSTS = 'hosts.added';

/**
 * How containers of a user network find each other by name: every member's /etc/hosts lists
 * every member's address with its names (container name, aliases, hostname), of every user
 * network the member is on, rewritten in place (the file is bind-mounted, so a running container
 * sees the change) whenever one joins or leaves. docker answers the same names from its embedded
 * DNS server (127.0.0.11) instead: docs/networking.md says what differs. Other names go to the
 * host's resolvers as before.
 *
 * Runs under the network lock, from the leases (which hold each member's names): of two
 * containers joining at once, the later rewrite sees both. A member whose bundle is not written
 * yet is skipped; its own start rewrites everyone's after writing it. `leaving`: a container that
 * just left the network while it runs, whose own file loses the network's names (with no user
 * network left, it keeps its own host name on its addresses, as the bundle wrote it).
 */
export async function refreshNetworkHosts(
  networkId: string,
  root: string,
  leaving?: { containerId: string; hostname: string },
): Promise<void> {
  await withNetworkLock(async () => {
    const bootId = currentBootId();
    const leases = readLeases().filter((l) => l.bootId === bootId && !l.released);
    const affected = new Set(leases.filter((l) => l.network?.id === networkId).map((l) => l.containerId));
    if (leaving) affected.add(leaving.containerId);
    for (const containerId of affected) {
      const { dir } = containerPaths(root, containerId);
      const file = join(dir, 'hosts');
      // Of another store (leases are host-wide), or not written yet.
      if (!existsSync(file)) continue;
      const own = leases.filter((l) => l.containerId === containerId);
      const networks = new Set(own.flatMap((l) => (l.network ? [l.network.id] : [])));
      const members =
        networks.size > 0
          ? leases
              .filter((l) => l.network && networks.has(l.network.id))
              .map((l) => ({ ipAddress: l.ipAddress, names: l.network?.names ?? [] }))
          : own.map((l) => ({ ipAddress: l.ipAddress, names: leaving ? [leaving.hostname] : [] }));
      // Written in place, never renamed over: the container holds this inode.
      writeFileSync(file, hostsText(members) + addedHosts(dir));
    }
  });
}

/** docker's /etc/hosts header, then one line per member: its address and its names. */
export function hostsText(members: { ipAddress: string; names: string[] }[]): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  for (const m of [...members].sort((a, b) => a.ipAddress.localeCompare(b.ipAddress, 'en', { numeric: true }))) {
    if (m.names.length > 0) lines.push(`${m.ipAddress}\t${m.names.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `--add-host` lines, as the bundle resolved them (host-gateway too): after the members', as docker writes them after the container's own. */
export function keepAddedHosts(dir: string, lines: string[]): void {
  // None: no file (one write and one delete fewer for most containers); none reads as none.
  if (lines.length === 0) rmSync(join(dir, ADDED_HOSTS), { force: true });
  else writeFileSync(join(dir, ADDED_HOSTS), lines.map((l) => `${l}\n`).join(''));
}

function addedHosts(dir: string): string {
  const file = join(dir, ADDED_HOSTS);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
