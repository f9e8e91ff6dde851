import { isIPv4 } from './ipAddress.js';

// What `network create` takes, checked as the engine checks it (core/runtime/network/userNetworks.ts
// and subnetChoice.ts, whose sentences these are), so the app's Create a network dialog refuses as
// it is typed what `stevedore network create` would. The engine still has the last word (a name
// taken, a subnet another network holds).

/** docker's network names: a letter or digit, then letters, digits, _ . or -. */
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The three docker always has: a user network cannot take their names. */
export const BUILTIN_NETWORK_NAMES = ['bridge', 'host', 'none'] as const;

/** Why the engine would refuse `name` for a new network, or null. */
export function checkNetworkName(name: string): string | null {
  if (!NETWORK_NAME.test(name)) return `invalid network name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`;
  if ((BUILTIN_NETWORK_NAMES as readonly string[]).includes(name)) {
    return `network with name ${name} already exists (it is built in)`;
  }
  return null;
}

export type SubnetParse = { ok: true; value: { subnet: string; prefixLength: number } } | { ok: false; message: string };

/** `--subnet A.B.C.D/N`: the network's own address (no host bits), N from 8 to 29. */
export function parseSubnetText(text: string): SubnetParse {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text);
  const prefixLength = m ? Number.parseInt(m[2] ?? '', 10) : Number.NaN;
  if (!m?.[1] || !isIPv4(m[1]) || !(prefixLength >= 8 && prefixLength <= 29)) {
    return { ok: false, message: `invalid subnet "${text}": give an IPv4 CIDR such as 10.220.0.0/24 (prefix 8 to 29)` };
  }
  const size = 2 ** (32 - prefixLength);
  const address = m[1].split('.').reduce((n, octet) => n * 256 + Number.parseInt(octet, 10), 0);
  const start = Math.floor(address / size) * size;
  const network = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join('.');
  if (network !== m[1]) {
    return { ok: false, message: `invalid subnet "${text}": its network address is ${network}/${prefixLength}` };
  }
  return { ok: true, value: { subnet: network, prefixLength } };
}
