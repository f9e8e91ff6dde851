import type { PortMapping, PortRequest } from './containers.schema.js';
import { isIPv4, isIPv6 } from './ipAddress.js';

/**
 * A `-p` text as read by the engine (containers.run, `stevedore run -p`) and by the Run dialog as
 * it is typed: the one parser, so both take the same texts and refuse the rest in the same words.
 * A refusal is one sentence, lower-case so the CLI can print it after "error: ".
 */
export type PortSpecParse = { ok: true; value: PortRequest } | { ok: false; message: string };

const PORT = /^[0-9]{1,5}$/;

/**
 * Docker's `-p [IP:][HOST:]CONTAINER[/tcp|/udp]`: `8080:80`, `127.0.0.1:8080:80`,
 * `127.0.0.1::80` and `80` (a free host port), `53:53/udp`. The host address defaults to 0.0.0.0.
 */
export function parsePortSpec(text: string): PortSpecParse {
  const fail = (why: string): PortSpecParse => ({ ok: false, message: `invalid port "${text}": ${why}` });
  const slash = text.lastIndexOf('/');
  const ports = slash === -1 ? text : text.slice(0, slash);
  const protocol = slash === -1 ? 'tcp' : text.slice(slash + 1).toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp') return fail(`the protocol must be tcp or udp, not "${protocol}"`);
  const parts = ports.split(':');
  if (ports.startsWith('[') || (parts.length > 3 && isIPv6(parts.slice(0, -2).join(':')))) {
    return fail('IPv6 host addresses are not supported, only IPv4');
  }
  if (parts.length > 3) return fail('expected [IP:][HOST:]CONTAINER[/tcp|/udp]');
  if (/[0-9]-[0-9]/.test(ports)) return fail('port ranges are not supported; publish each port with its own -p');
  let hostIp = '0.0.0.0';
  let hostText = '';
  let containerText: string;
  if (parts.length === 3) {
    hostIp = parts[0] ?? '';
    hostText = parts[1] ?? '';
    containerText = parts[2] ?? '';
    if (!isIPv4(hostIp)) return fail(`"${hostIp}" is not an IPv4 address`);
  } else if (parts.length === 2) {
    hostText = parts[0] ?? '';
    containerText = parts[1] ?? '';
    if (isIPv4(hostText)) return fail(`with an address, write both colons (${hostText}::${containerText} for a free host port)`);
  } else {
    containerText = parts[0] ?? '';
  }

  const containerPort = portNumber(containerText);
  if (containerPort === undefined || containerPort === 0) return fail('the container port must be a number from 1 to 65535');
  const hostPort = hostText === '' ? 0 : portNumber(hostText);
  if (hostPort === undefined) return fail('the host port must be a number from 1 to 65535, or left out for a free one');
  return { ok: true, value: { hostIp, hostPort, containerPort, protocol } };
}

function portNumber(text: string): number | undefined {
  if (!PORT.test(text)) return undefined;
  const n = Number.parseInt(text, 10);
  return n <= 65535 ? n : undefined;
}

/** How a host port is named in messages: `127.0.0.1:8080`, `0.0.0.0:53/udp`. */
export function hostPortName(port: { hostIp: string; hostPort: number; protocol: PortMapping['protocol'] }): string {
  return `${port.hostIp}:${port.hostPort}${port.protocol === 'udp' ? '/udp' : ''}`;
}
