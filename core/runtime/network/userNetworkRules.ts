import { StevedoreError } from '../../errors.js';
import type { BridgeSpec } from './bridgeSubnet.js';
import { NAT_TABLE } from './natTable.js';
import { runNetworkTool, tryNetworkTool } from './networkTools.js';

/** The comment that marks a user network's rules in Stevedore's table. */
function networkComment(id: string): string {
  return `network ${id.slice(0, 12)}`;
}

/**
 * A user network's rules, in the chains the default bridge's live in (natTable.ts says why each
 * is there): its traffic masqueraded on the way out (not for --internal, whose traffic stays on
 * its bridge, as docker's), published ports reachable, the host's loopback guarded; and docker's
 * isolation: forwarded traffic into the bridge passes only as a reply, a published port's, or
 * from the same bridge, so no other network's containers reach it.
 */
function networkRules(spec: BridgeSpec, internal: boolean): string[] {
  const br = `"${spec.bridge}"`;
  const cidr = `${spec.subnet}/${spec.prefixLength}`;
  return [
    ...(internal ? [] : [`postrouting ip saddr ${cidr} oifname != ${br} masquerade`]),
    `postrouting oifname ${br} ip saddr 127.0.0.0/8 masquerade`,
    `postrouting oifname ${br} ip saddr ${cidr} ct status dnat masquerade`,
    `loopback_guard iifname ${br} ip daddr 127.0.0.0/8 drop`,
    ...(internal ? [`forward iifname ${br} oifname != ${br} drop`] : []),
    `forward oifname ${br} ct state established,related accept`,
    `forward oifname ${br} ct status dnat accept`,
    `forward oifname ${br} iifname ${br} accept`,
    `forward oifname ${br} drop`,
  ];
}

/** Adds the network's rules in one transaction, after removing any an earlier set-up left. */
export async function addNetworkRules(id: string, spec: BridgeSpec, internal: boolean): Promise<void> {
  const handles = await networkRuleHandles(id);
  const comment = networkComment(id);
  const script = [
    ...handles.map(({ chain, handle }) => `delete rule ip ${NAT_TABLE} ${chain} handle ${handle}`),
    ...networkRules(spec, internal).map((rule) => `add rule ip ${NAT_TABLE} ${rule} comment "${comment}"`),
  ];
  await runNetworkTool('nft', ['-f', '-'], `adding the rules of network ${spec.bridge}`, `${script.join('\n')}\n`);
}

/** Removes the network's rules; none left (or no table) is fine. */
export async function removeNetworkRules(id: string): Promise<void> {
  const handles = await networkRuleHandles(id);
  if (handles.length === 0) return;
  const script = handles.map(({ chain, handle }) => `delete rule ip ${NAT_TABLE} ${chain} handle ${handle}\n`).join('');
  const r = await tryNetworkTool('nft', ['-f', '-'], script);
  if (!r.ok && (await networkRuleHandles(id)).length > 0) {
    throw new StevedoreError('INTERNAL', `removing the rules of network ${id.slice(0, 12)} failed: ${r.stderr}`);
  }
}

/** Where the network's rules are in Stevedore's table (chain and handle of each). */
export async function networkRuleHandles(id: string): Promise<{ chain: string; handle: number }[]> {
  const listing = await tryNetworkTool('nft', ['-json', 'list', 'table', 'ip', NAT_TABLE]);
  if (!listing.ok) return [];
  const comment = networkComment(id);
  const parsed = JSON.parse(listing.stdout) as { nftables?: { rule?: { chain: string; handle: number; comment?: string } }[] };
  return (parsed.nftables ?? []).flatMap(({ rule }) =>
    rule && rule.comment === comment ? [{ chain: rule.chain, handle: rule.handle }] : [],
  );
}
