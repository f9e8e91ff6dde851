import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerPaths } from '../containerRecord.js';
import { currentBootId, readLeases, withNetworkLock } from './leaseStore.js';

/**
 * How containers of a user network find each other by name: every member's /etc/hosts lists
 * every member's address with its names (container name, aliases, hostname), rewritten in place
 * (the file is bind-mounted, so a running container sees the change) whenever one joins or
 * leaves. docker answers the same names from its embedded DNS server (127.0.0.11) instead:
 * docs/networking.md says what differs. Other names go to the host's resolvers as before.
 *
 * Runs under the network lock, from the leases (which hold each member's names): of two
 * containers joining at once, the later rewrite sees both. A member whose bundle is not written
 * yet is skipped; its own start rewrites everyone's after writing it.
 */
export async function refreshNetworkHosts(networkId: string, root: string): Promise<void> {
  await withNetworkLock(async () => {
    const bootId = currentBootId();
    const members = readLeases().filter((l) => l.network?.id === networkId && l.bootId === bootId);
    const text = hostsText(members.map((l) => ({ ipAddress: l.ipAddress, names: l.network?.names ?? [] })));
    for (const member of members) {
      const file = join(containerPaths(root, member.containerId).dir, 'hosts');
      // Written in place, never renamed over: the container holds this inode.
      if (existsSync(file)) writeFileSync(file, text);
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
