/**
 * EXPOSE's port specs as Docker reads them: `80`, `80/udp`, `8000-8002/tcp` → `80/tcp` …
 * (Docker also tolerates `[ip:]hostPort:containerPort`; only the container port counts.)
 */
export function exposedPorts(spec: string): string[] {
  const parts = spec.split(':');
  const containerPart = parts[parts.length - 1] ?? '';
  const hostPart = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  const slash = containerPart.indexOf('/');
  const port = slash >= 0 ? containerPart.slice(0, slash) : containerPart;
  const proto = (slash >= 0 ? containerPart.slice(slash + 1) : '').toLowerCase() || 'tcp';
  if (port === '') throw new Error(`no port specified: ${spec}<empty>`);
  if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') throw new Error(`invalid proto: ${proto}`);
  const range = portRange(port);
  if (!range) throw new Error(`invalid containerPort: ${port}`);
  if (hostPart !== undefined && hostPart !== '') {
    const host = portRange(hostPart);
    if (!host) throw new Error(`invalid hostPort: ${hostPart}`);
    if (range[1] - range[0] !== host[1] - host[0] && range[0] !== range[1]) {
      throw new Error(`invalid ranges specified for container and host Ports: ${port} and ${hostPart}`);
    }
  }
  const out: string[] = [];
  for (let p = range[0]; p <= range[1]; p++) out.push(`${p}/${proto}`);
  return out;
}

function portRange(text: string): [number, number] | undefined {
  const bounds = text.split('-');
  if (bounds.length > 2) return undefined;
  const numbers = bounds.map((b) => (/^\d+$/.test(b) ? Number(b) : Number.NaN));
  const start = numbers[0] ?? Number.NaN;
  const end = numbers[1] ?? start;
  if (!(start <= 65535 && end <= 65535 && start <= end)) return undefined;
  return [start, end];
}
