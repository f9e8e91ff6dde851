import { BRIDGE } from './bridgeSubnet.js';
import { NAT_TABLE } from './natTable.js';
import { tryNetworkTool } from './networkTools.js';

interface ChainListing {
  family: string;
  table: string;
  name: string;
  hook?: string;
  policy?: string;
}

/** The chains of a `nft -json list chains` listing; none when it is not one. */
export function parseChainListing(json: string): ChainListing[] {
  try {
    const parsed = JSON.parse(json) as { nftables?: { chain?: ChainListing }[] };
    return (parsed.nftables ?? []).flatMap(({ chain }) => (chain ? [chain] : []));
  } catch {
    return [];
  }
}

/**
 * Every chain of every table, read once per attach for both of its checks; undefined when nft
 * cannot list them.
 */
export async function listChains(): Promise<ChainListing[] | undefined> {
  const r = await tryNetworkTool('nft', ['-json', 'list', 'chains']);
  return r.ok ? parseChainListing(r.stdout) : undefined;
}

/** The names of the chains of Stevedore's own table in the listing (it is created with its chains, and never removed). */
export function natTableChains(chains: ChainListing[]): string[] {
  return chains.filter((chain) => chain.family === 'ip' && chain.table === NAT_TABLE).map((chain) => chain.name);
}

/**
 * Another tool's forward chain with policy drop (ufw, docker, a hand-made firewall) drops the
 * containers' forwarded traffic whatever Stevedore's own table says: nftables lets every table
 * drop a packet. Stevedore does not edit other tools' rules, so it says so instead, unless that
 * table already mentions the bridge (someone let it through). IPv4 families only; rules of
 * iptables-legacy are not visible from here.
 */
export async function forwardingBlockedNote(
  listing: Promise<ChainListing[] | undefined> = listChains(),
): Promise<string | undefined> {
  const chains = await listing;
  if (!chains) return undefined;
  for (const chain of droppingForwardChains(chains)) {
    const table = await tryNetworkTool('nft', ['-json', 'list', 'table', chain.family, chain.table]);
    if (table.ok && table.stdout.includes(`"${BRIDGE}"`)) continue;
    return (
      `the host's firewall drops forwarded traffic (chain ${chain.name} of table ${chain.family} ${chain.table} has policy drop), ` +
      `so the container cannot reach other networks nor be reached from other hosts until it lets ${BRIDGE} through`
    );
  }
  return undefined;
}

/** The chains hooked at forward, in an IPv4 family, with policy drop. */
export function droppingForwardChains(chains: ChainListing[]): ChainListing[] {
  return chains.filter(
    (chain) =>
      chain.hook === 'forward' &&
      chain.policy === 'drop' &&
      (chain.family === 'ip' || chain.family === 'inet') &&
      chain.table !== NAT_TABLE,
  );
}
