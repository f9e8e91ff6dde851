/** `--dns`, `--dns-search`, `--dns-option`: each replaces its kind of line in the container's resolv.conf, as docker does. */
export interface DnsSettings {
  servers: string[];
  search: string[];
  options: string[];
}

export const NO_DNS_SETTINGS: DnsSettings = { servers: [], search: [], options: [] };

/**
 * The network's resolv.conf with the user's settings in place of its own lines of the same kind
 * (resolv.conf(5): `nameserver`, `search`/`domain`, `options`). docker's `--dns-search .` means
 * no search list at all.
 */
export function withDnsSettings(base: string, dns: DnsSettings): string {
  const replaced = (line: string) => {
    const keyword = line.trim().split(/\s+/)[0];
    return (
      (keyword === 'nameserver' && dns.servers.length > 0) ||
      ((keyword === 'search' || keyword === 'domain') && dns.search.length > 0) ||
      (keyword === 'options' && dns.options.length > 0)
    );
  };
  const kept = base.split('\n').filter((line) => line.trim() !== '' && !replaced(line));
  const search = dns.search.filter((s) => s !== '.');
  const added = [
    ...dns.servers.map((s) => `nameserver ${s}`),
    ...(search.length > 0 ? [`search ${search.join(' ')}`] : []),
    ...(dns.options.length > 0 ? [`options ${dns.options.join(' ')}`] : []),
  ];
  return `${[...kept, ...added].join('\n')}\n`;
}
