import { readFileSync, writeFileSync } from 'node:fs';
import { StevedoreError } from '../../errors.js';
import { type BridgeSpec, DEFAULT_BRIDGE, prefixesOverlap } from './bridgeSubnet.js';
import { runNetworkTool, tryNetworkTool } from './networkTools.js';

/**
 * The bridge with the gateway address, up, and the two kernel switches bridge networking needs:
 * forwarding (containers reach the world through NAT) and route_localnet on the bridge alone (so
 * traffic to a port published on 127.0.0.1 may be sent on to a container). Cheap and idempotent:
 * run at every attach, under the network lock, so a bridge removed by hand comes back.
 */
export async function ensureBridge(spec: BridgeSpec = DEFAULT_BRIDGE): Promise<void> {
  // Read from sysfs without starting a process: in the common case the bridge is there and up.
  if (!bridgeIsUp(spec.bridge)) await setUpBridge(spec);
  setSysctl(`net/ipv4/conf/${spec.bridge}/route_localnet`, '1');
  setSysctl('net/ipv4/ip_forward', '1');
}

/** Creates the bridge if it is missing, gives it the gateway address, and brings it up. */
async function setUpBridge(spec: BridgeSpec): Promise<void> {
  const { bridge } = spec;
  const existing = await tryNetworkTool('ip', ['link', 'show', 'dev', bridge]);
  if (!existing.ok) await refuseOverlappingRoutes(spec);
  const batch = [
    ...(existing.ok ? [] : [`link add ${bridge} type bridge`]),
    `addr replace ${spec.gateway}/${spec.prefixLength} dev ${bridge}`,
    `link set ${bridge} up`,
  ];
  await runNetworkTool('ip', ['-batch', '-'], `setting up the bridge ${bridge}`, `${batch.join('\n')}\n`);
}

/** A host route into our subnet (a VPN, another bridge) would make containers unreachable: say so. */
async function refuseOverlappingRoutes(spec: BridgeSpec): Promise<void> {
  const route = await overlappingRoute(spec);
  if (route) {
    throw new StevedoreError(
      'CONFLICT',
      `the container subnet ${spec.subnet}/${spec.prefixLength} overlaps the host's route to ${route}`,
    );
  }
}

/** The host's route (not the bridge's own) that shares addresses with the network's subnet, as `DST via DEV`. */
export async function overlappingRoute(spec: BridgeSpec): Promise<string | undefined> {
  const routes = JSON.parse(await runNetworkTool('ip', ['-json', '-4', 'route', 'show'], 'reading the routing table')) as {
    dst?: string;
    dev?: string;
  }[];
  for (const route of routes) {
    if (!route.dst || route.dst === 'default' || route.dev === spec.bridge) continue;
    const [address = '', length = '32'] = route.dst.split('/');
    if (prefixesOverlap(address, Number.parseInt(length, 10), spec.subnet, spec.prefixLength)) {
      return `${route.dst}${route.dev ? ` via ${route.dev}` : ''}`;
    }
  }
  return undefined;
}

function bridgeIsUp(bridge: string): boolean {
  try {
    // IFF_UP is bit 0 of the interface flags.
    return (Number.parseInt(readFileSync(`/sys/class/net/${bridge}/flags`, 'utf8'), 16) & 1) === 1;
  } catch {
    return false;
  }
}

function setSysctl(key: string, value: string): void {
  const path = `/proc/sys/${key}`;
  if (readFileSync(path, 'utf8').trim() !== value) writeFileSync(path, value);
}
