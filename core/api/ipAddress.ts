import ipaddr from 'ipaddr.js';

// IP addresses as node:net's isIPv4 and isIPv6 read them, for the parsers the app shares with the
// engine (node:net is not in the renderer): ipaddr.js, which works in both, with its strict forms.

/** Dotted decimal, four numbers from 0 to 255 without leading zeros: `127.0.0.1`. */
export function isIPv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** Any IPv6 form, `::` shortened or ending in IPv4, with an optional zone (`fe80::1%eth0`). */
export function isIPv6(text: string): boolean {
  return ipaddr.IPv6.isValid(text);
}
