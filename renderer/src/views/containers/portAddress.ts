import type { PortMapping } from '../../../../core/api/containers.schema';

/** Addresses that mean "every interface": a browser reaches them as localhost. */
const anyAddress = new Set(['', '0.0.0.0', '::', '[::]']);

/** Where a published port is reached from this machine; IPv6 in brackets, as URLs write it. */
export function portHost(mapping: PortMapping): string {
  if (anyAddress.has(mapping.hostIp)) return 'localhost';
  return mapping.hostIp.includes(':') && !mapping.hostIp.startsWith('[') ? `[${mapping.hostIp}]` : mapping.hostIp;
}

/** http://HOST:PORT for a TCP port (a web server, most often); null for UDP, which no browser opens. */
export function portUrl(mapping: PortMapping): string | null {
  return mapping.protocol === 'tcp' ? `http://${portHost(mapping)}:${mapping.hostPort}` : null;
}
