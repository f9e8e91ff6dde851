import { readFileSync, writeFileSync } from 'node:fs';
import { StevedoreError } from '../../errors.js';
import { BRIDGE, GATEWAY, PREFIX_LENGTH, prefixesOverlap, SUBNET, SUBNET_CIDR } from './bridgeSubnet.js';
import { runNetworkTool, tryNetworkTool } from './networkTools.js';

/**
 * The bridge with the gateway address, up, and the two kernel switches bridge networking needs:
 * forwarding (containers reach the world through NAT) and route_localnet on the bridge alone (so
 * traffic to a port published on 127.0.0.1 may be sent on to a container). Cheap and idempotent:
 * run at every attach, under the network lock, so a bridge removed by hand comes back.
 */
export async function ensureBridge(): Promise<void> {
  // Read from sysfs without starting a process: in the common case the bridge is there and up.
  if (!bridgeIsUp()) await setUpBridge();
  setSysctl(`net/ipv4/conf/${BRIDGE}/route_localnet`, '1');
  setSysctl('net/ipv4/ip_forward', '1');
}

/** Creates the bridge if it is missing, gives it the gateway address, and brings it up. */
async function setUpBridge(): Promise<void> {
  const existing = await tryNetworkTool('ip', ['link', 'show', 'dev', BRIDGE]);
  if (!existing.ok) await refuseOverlappingRoutes();
  const batch = [
    ...(existing.ok ? [] : [`link add ${BRIDGE} type bridge`]),
    `addr replace ${GATEWAY}/${PREFIX_LENGTH} dev ${BRIDGE}`,
    `link set ${BRIDGE} up`,
  ];
  await runNetworkTool('ip', ['-batch', '-'], `setting up the bridge ${BRIDGE}`, `${batch.join('\n')}\n`);
}

/** A host route into our subnet (a VPN, another bridge) would make containers unreachable: say so. */
async function refuseOverlappingRoutes(): Promise<void> {
  const routes = JSON.parse(await runNetworkTool('ip', ['-json', '-4', 'route', 'show'], 'reading the routing table')) as {
    dst?: string;
    dev?: string;
  }[];
  for (const route of routes) {
    if (!route.dst || route.dst === 'default' || route.dev === BRIDGE) continue;
    const [address = '', length = '32'] = route.dst.split('/');
    if (prefixesOverlap(address, Number.parseInt(length, 10), SUBNET, PREFIX_LENGTH)) {
      throw new StevedoreError(
        'CONFLICT',
        `the container subnet ${SUBNET_CIDR} overlaps the host's route to ${route.dst}${route.dev ? ` via ${route.dev}` : ''}`,
      );
    }
  }
}

function bridgeIsUp(): boolean {
  try {
    // IFF_UP is bit 0 of the interface flags.
    return (Number.parseInt(readFileSync(`/sys/class/net/${BRIDGE}/flags`, 'utf8'), 16) & 1) === 1;
  } catch {
    return false;
  }
}

function setSysctl(key: string, value: string): void {
  const path = `/proc/sys/${key}`;
  if (readFileSync(path, 'utf8').trim() !== value) writeFileSync(path, value);
}
