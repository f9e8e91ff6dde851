/**
 * The one bridge network every `--network bridge` container joins, like docker0. 10.213.0.0/16
 * is private space no common tool claims by default (docker takes 172.17-31 and 192.168,
 * podman 10.88 and then 10.89 for its own networks, AWS's default VPC is 172.31).
 */
export const BRIDGE = 'stevedore0';
export const SUBNET = '10.213.0.0';
export const PREFIX_LENGTH = 16;
export const GATEWAY = '10.213.0.1';
export const SUBNET_CIDR = `${SUBNET}/${PREFIX_LENGTH}`;

/** A bridge network: the default one above, or a user-defined one (userNetworks.ts). */
export interface BridgeSpec {
  bridge: string;
  subnet: string;
  prefixLength: number;
  gateway: string;
}

export const DEFAULT_BRIDGE: BridgeSpec = { bridge: BRIDGE, subnet: SUBNET, prefixLength: PREFIX_LENGTH, gateway: GATEWAY };

export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number.parseInt(octet, 10), 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The lowest container address of the network not in `used`: from .2 up, never the gateway or broadcast. */
export function firstFreeAddress(used: Set<string>, spec: BridgeSpec = DEFAULT_BRIDGE): string | undefined {
  const gateway = ipv4ToNumber(spec.gateway);
  const base = ipv4ToNumber(spec.subnet);
  const size = 2 ** (32 - spec.prefixLength);
  for (let n = base + 2; n < base + size - 1; n++) {
    if (n === gateway) continue;
    const address = numberToIpv4(n);
    if (!used.has(address)) return address;
  }
  return undefined;
}

/**
 * The MAC address follows the IP address (as docker's does), so a neighbour's ARP cache is never
 * wrong about an address that was just given to another container. 02: locally administered.
 */
export function macForAddress(address: string): string {
  const octets = address.split('.').map((o) => Number.parseInt(o, 10).toString(16).padStart(2, '0'));
  return ['02', '53', ...octets].join(':');
}

/** Whether two IPv4 prefixes share any address. */
export function prefixesOverlap(a: string, aLength: number, b: string, bLength: number): boolean {
  const shorter = Math.min(aLength, bLength);
  const size = 2 ** (32 - shorter);
  return Math.floor(ipv4ToNumber(a) / size) === Math.floor(ipv4ToNumber(b) / size);
}
