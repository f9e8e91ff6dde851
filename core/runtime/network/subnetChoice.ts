import { isIPv4 } from 'node:net';
import { StevedoreError } from '../../errors.js';
import { ipv4ToNumber, numberToIpv4, PREFIX_LENGTH, prefixesOverlap, SUBNET } from './bridgeSubnet.js';

export interface Subnet {
  subnet: string;
  prefixLength: number;
}

/**
 * Where user networks get their subnets when none is asked for: /24s of 10.214.0.0/15, beside the
 * default bridge's 10.213.0.0/16 and, like it, clear of docker's (172.17-31, 192.168) and
 * podman's (10.88, 10.89) defaults.
 */
const POOL = { subnet: '10.214.0.0', prefixLength: 15 };
const POOL_PREFIX = 24;

/** `--subnet A.B.C.D/N`: the network's own address (no host bits), N from 8 to 29. */
export function parseSubnet(text: string): Subnet {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text);
  const prefixLength = m ? Number.parseInt(m[2] ?? '', 10) : Number.NaN;
  if (!m?.[1] || !isIPv4(m[1]) || !(prefixLength >= 8 && prefixLength <= 29)) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `invalid subnet "${text}": give an IPv4 CIDR such as 10.220.0.0/24 (prefix 8 to 29)`,
    );
  }
  const size = 2 ** (32 - prefixLength);
  const network = numberToIpv4(Math.floor(ipv4ToNumber(m[1]) / size) * size);
  if (network !== m[1]) {
    throw new StevedoreError('INVALID_ARGUMENT', `invalid subnet "${text}": its network address is ${network}/${prefixLength}`);
  }
  return { subnet: network, prefixLength };
}

/** The gateway (the bridge's own address): the subnet's first address, as docker's. */
export function gatewayOf(subnet: Subnet): string {
  return numberToIpv4(ipv4ToNumber(subnet.subnet) + 1);
}

/** What a subnet may not share addresses with: the default bridge's, then every one in `taken`. */
export function subnetConflict(candidate: Subnet, taken: { what: string; subnet: Subnet }[]): string | undefined {
  const all = [{ what: 'the default bridge', subnet: { subnet: SUBNET, prefixLength: PREFIX_LENGTH } }, ...taken];
  for (const { what, subnet } of all) {
    if (prefixesOverlap(candidate.subnet, candidate.prefixLength, subnet.subnet, subnet.prefixLength)) return what;
  }
  return undefined;
}

/** The first /24 of the pool that overlaps nothing taken. */
export function chooseSubnet(taken: { what: string; subnet: Subnet }[]): Subnet | undefined {
  const base = ipv4ToNumber(POOL.subnet);
  const step = 2 ** (32 - POOL_PREFIX);
  for (let n = base; n < base + 2 ** (32 - POOL.prefixLength); n += step) {
    const candidate = { subnet: numberToIpv4(n), prefixLength: POOL_PREFIX };
    if (!subnetConflict(candidate, taken)) return candidate;
  }
  return undefined;
}
