import { existsSync, readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';

const HOST_RESOLV_CONF = '/etc/resolv.conf';
/** systemd-resolved's list of the real upstream servers, behind its 127.0.0.53 stub. */
const SYSTEMD_UPSTREAM = '/run/systemd/resolve/resolv.conf';
/** Docker's fallback when the host names no server a container can reach. */
const FALLBACK_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];
const KEPT_KEYWORDS = new Set(['search', 'domain', 'options', 'sortlist']);

/** The host's resolv.conf as it is, for `--network host` (empty when the host has none). */
export function hostResolvConf(): string {
  return existsSync(HOST_RESOLV_CONF) ? readFileSync(HOST_RESOLV_CONF, 'utf8') : '';
}

/** resolv.conf for a container with a network of its own (bridge, none), from the host's files. */
export function containerResolvConf(): string {
  const upstream = existsSync(SYSTEMD_UPSTREAM) ? readFileSync(SYSTEMD_UPSTREAM, 'utf8') : undefined;
  return resolvConfForOwnNetwork(hostResolvConf(), upstream);
}

/**
 * What docker writes: the host's nameservers that a container can reach from its own network
 * namespace, that is neither loopback (127.x, systemd-resolved's stub: that is the container's own
 * lo there) nor IPv6 (the bridge is IPv4 only); when none is left, 8.8.8.8 and 8.8.4.4. When the
 * host points only at systemd-resolved's stub, its upstream list is read instead. search, domain,
 * options and sortlist lines are kept.
 */
export function resolvConfForOwnNetwork(hostText: string, systemdUpstream?: string): string {
  const source = systemdUpstream !== undefined && onlyStub(hostText) ? systemdUpstream : hostText;
  const nameservers: string[] = [];
  const kept: string[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    const [keyword = '', value = ''] = line.split(/\s+/);
    if (keyword === 'nameserver') {
      if (isIPv4(value) && !value.startsWith('127.')) nameservers.push(value);
    } else if (KEPT_KEYWORDS.has(keyword)) kept.push(line);
  }
  const servers = nameservers.length > 0 ? nameservers : FALLBACK_NAMESERVERS;
  return [...servers.map((s) => `nameserver ${s}`), ...kept].join('\n') + '\n';
}

function onlyStub(text: string): boolean {
  const servers = text.split('\n').flatMap((line) => {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    return m?.[1] ? [m[1]] : [];
  });
  return servers.length > 0 && servers.every((s) => s === '127.0.0.53');
}
