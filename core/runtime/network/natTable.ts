import type { PortMapping } from '../../api/containers.schema.js';
import { StevedoreError } from '../../errors.js';
import { BRIDGE, SUBNET_CIDR } from './bridgeSubnet.js';
import { runNetworkTool, tryNetworkTool } from './networkTools.js';

/** Every rule Stevedore adds lives in this nftables table, and nowhere else. */
export const NAT_TABLE = 'stevedore';

/**
 * - `published`: one DNAT rule per published port, reached from prerouting (traffic from other
 *   hosts and from containers) and output (traffic from this host itself, 127.0.0.1 included) for
 *   packets addressed to one of this host's own addresses.
 * - `postrouting`: masquerade containers' traffic leaving the host; traffic from the host's
 *   loopback sent on to a container (its 127.0.0.1 source cannot leave lo otherwise); and hairpin
 *   traffic, a container reaching a published port of itself or a neighbour through the host.
 * - `loopback_guard`: route_localnet on the bridge would let a container with CAP_NET_RAW send
 *   packets to the host's 127.0.0.1 services; drop them before routing, as kube-proxy does.
 */
const BASE_TABLE = `table ip ${NAT_TABLE} {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    fib daddr type local jump published
  }
  chain output {
    type nat hook output priority -100; policy accept;
    fib daddr type local jump published
  }
  chain published {
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr ${SUBNET_CIDR} oifname != "${BRIDGE}" masquerade
    oifname "${BRIDGE}" ip saddr 127.0.0.0/8 masquerade
    oifname "${BRIDGE}" ip saddr ${SUBNET_CIDR} ct status dnat masquerade
  }
  chain loopback_guard {
    type filter hook prerouting priority raw; policy accept;
    iifname "${BRIDGE}" ip daddr 127.0.0.0/8 drop
  }
}
`;

/**
 * Creates the table in one transaction if it is missing. Run under the network lock. `listed`:
 * a chain listing taken before the lock already showed the table (Stevedore never removes it), so
 * no nft process is needed; a listing without it is checked again here, under the lock.
 */
export async function ensureNatTable(listed = false): Promise<void> {
  if (listed) return;
  if ((await tryNetworkTool('nft', ['list', 'table', 'ip', NAT_TABLE])).ok) return;
  await runNetworkTool('nft', ['-f', '-'], `creating the nftables table ${NAT_TABLE}`, BASE_TABLE);
}

/** The comment that marks a lease's rules, so they are found and removed exactly. */
export function ruleComment(leaseId: string, containerId: string): string {
  return `container ${containerId.slice(0, 12)} lease ${leaseId}`;
}

/** One DNAT rule per port, all added in one transaction (all or none). */
export async function addPortRules(comment: string, ipAddress: string, ports: PortMapping[]): Promise<void> {
  if (ports.length === 0) return;
  const rules = ports.map((p) => {
    const destination = p.hostIp === '0.0.0.0' ? '' : `ip daddr ${p.hostIp} `;
    return `add rule ip ${NAT_TABLE} published ${destination}${p.protocol} dport ${p.hostPort} dnat to ${ipAddress}:${p.containerPort} comment "${comment}"\n`;
  });
  await runNetworkTool('nft', ['-f', '-'], 'publishing the ports', rules.join(''));
}

/** Removes the rules a lease added; none left (or no table at all) is fine. Safe to race with itself. */
export async function removePortRules(leaseId: string): Promise<void> {
  const suffix = ` lease ${leaseId}`;
  for (let attempt = 0; ; attempt++) {
    const listing = await tryNetworkTool('nft', ['-json', 'list', 'chain', 'ip', NAT_TABLE, 'published']);
    if (!listing.ok) return;
    const handles = publishedRules(listing.stdout)
      .filter((rule) => rule.comment?.endsWith(suffix))
      .map((rule) => rule.handle);
    if (handles.length === 0) return;
    const script = handles.map((h) => `delete rule ip ${NAT_TABLE} published handle ${h}\n`).join('');
    const r = await tryNetworkTool('nft', ['-f', '-'], script);
    if (r.ok) return;
    // Another detach of the same lease removed one first: list again.
    if (attempt === 3) throw new StevedoreError('INTERNAL', `removing the published ports failed: ${r.stderr}`);
  }
}

interface RuleListing {
  handle: number;
  comment?: string;
}

function publishedRules(json: string): RuleListing[] {
  const parsed = JSON.parse(json) as { nftables?: { rule?: RuleListing }[] };
  return (parsed.nftables ?? []).flatMap((item) => (item.rule ? [item.rule] : []));
}
