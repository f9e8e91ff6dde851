import { BRIDGE } from './bridgeSubnet.js';
import { NAT_TABLE } from './natTable.js';
import { type ToolResult, tryNetworkTool } from './networkTools.js';

interface ChainListing {
  family: string;
  table: string;
  name: string;
  hook?: string;
  policy?: string;
}

/** Every chain of every table, as `nft -json list chains` gives them: one listing serves an attach's checks. */
export function listChains(): Promise<ToolResult> {
  return tryNetworkTool('nft', ['-json', 'list', 'chains']);
}

/** Whether a chain listing shows Stevedore's own table (it is created with its chains, and never removed). */
export function listsNatTable(json: string): boolean {
  try {
    const parsed = JSON.parse(json) as { nftables?: { chain?: ChainListing }[] };
    return (parsed.nftables ?? []).some(({ chain }) => chain?.family === 'ip' && chain.table === NAT_TABLE);
  } catch {
    return false;
  }
}

/**
 * Another tool's forward chain with policy drop (ufw, docker, a hand-made firewall) drops the
 * containers' forwarded traffic whatever Stevedore's own table says: nftables lets every table
 * drop a packet. Stevedore does not edit other tools' rules, so it says so instead, unless that
 * table already mentions the bridge (someone let it through). IPv4 families only; rules of
 * iptables-legacy are not visible from here.
 */
export async function forwardingBlockedNote(listing: Promise<ToolResult> = listChains()): Promise<string | undefined> {
  const chains = await listing;
  if (!chains.ok) return undefined;
  for (const chain of droppingForwardChains(chains.stdout)) {
    const table = await tryNetworkTool('nft', ['-json', 'list', 'table', chain.family, chain.table]);
    if (table.ok && table.stdout.includes(`"${BRIDGE}"`)) continue;
    return (
      `the host's firewall drops forwarded traffic (chain ${chain.name} of table ${chain.family} ${chain.table} has policy drop), ` +
      `so the container cannot reach other networks nor be reached from other hosts until it lets ${BRIDGE} through`
    );
  }
  return undefined;
}

/** The chains hooked at forward, in an IPv4 family, with policy drop, from `nft -json list chains`. */
export function droppingForwardChains(json: string): ChainListing[] {
  const parsed = JSON.parse(json) as { nftables?: { chain?: ChainListing }[] };
  return (parsed.nftables ?? []).flatMap(({ chain }) =>
    chain &&
    chain.hook === 'forward' &&
    chain.policy === 'drop' &&
    (chain.family === 'ip' || chain.family === 'inet') &&
    chain.table !== NAT_TABLE
      ? [chain]
      : [],
  );
}
