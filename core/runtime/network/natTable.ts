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
 * - prerouting never DNATs a packet for 127.0.0.0/8: one arriving from outside (a neighbour on the
 *   LAN can address 127.0.0.1 to this host's MAC) would otherwise be sent on to a port published
 *   on 127.0.0.1 (CVE-2020-8558). The host's own traffic to 127.0.0.1 takes the output hook.
 * - `forward`: a neighbour routing the container subnet through this host reaches no container
 *   port directly; forwarded traffic into the bridge passes only when it is a published port's
 *   (DNATed here), a reply, or between containers, as docker's isolation chains let it.
 */
const PREROUTING_RULE = `fib daddr type local ip daddr != 127.0.0.0/8 jump published`;
const FORWARD_CHAIN = `chain forward {
    type filter hook forward priority filter; policy accept;
    oifname "${BRIDGE}" ct state established,related accept
    oifname "${BRIDGE}" ct status dnat accept
    oifname "${BRIDGE}" iifname "${BRIDGE}" accept
    oifname "${BRIDGE}" drop
  }`;
const BASE_TABLE = `table ip ${NAT_TABLE} {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    ${PREROUTING_RULE}
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
  ${FORWARD_CHAIN}
}
`;

/**
 * A table made by an earlier Stevedore has no forward chain, and its prerouting DNATs 127.0.0.1
 * from outside: both are brought up to date in one transaction (published ports are kept).
 */
const UPGRADE = `flush chain ip ${NAT_TABLE} prerouting
add rule ip ${NAT_TABLE} prerouting ${PREROUTING_RULE}
table ip ${NAT_TABLE} {
  ${FORWARD_CHAIN}
}
`;

/** The chain that only a current table has. */
const CURRENT_TABLE_CHAIN = 'forward';

/**
 * Creates the table in one transaction if it is missing, or upgrades one an earlier version
 * made. Run under the network lock. `listed`: the chains of Stevedore's table in a listing taken
 * before the lock (Stevedore never removes the table): a current table needs no nft process; a
 * listing without it is checked again here, under the lock.
 */
export async function ensureNatTable(listed: readonly string[] = []): Promise<void> {
  if (listed.includes(CURRENT_TABLE_CHAIN)) return;
  if ((await tryNetworkTool('nft', ['list', 'chain', 'ip', NAT_TABLE, CURRENT_TABLE_CHAIN])).ok) return;
  if ((await tryNetworkTool('nft', ['list', 'table', 'ip', NAT_TABLE])).ok) {
    await runNetworkTool('nft', ['-f', '-'], `upgrading the nftables table ${NAT_TABLE}`, UPGRADE);
    return;
  }
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
