/**
 * docker's port ranges in `-p`: `8000-8002:8000-8002`, `127.0.0.1:8000-8002:80-82/udp`, and a
 * container range alone (`8000-8002`: each on a free host port). Expanded into one `-p` text per
 * port, which portSpec.ts then reads; a text without a range comes back as it is.
 */
export type PortRangeExpansion = { ok: true; value: string[] } | { ok: false; message: string };

const RANGE = /^([0-9]{1,5})(?:-([0-9]{1,5}))?$/;

export function expandPortRange(text: string): PortRangeExpansion {
  if (!/[0-9]-[0-9]/.test(text)) return { ok: true, value: [text] };
  const fail = (why: string): PortRangeExpansion => ({ ok: false, message: `invalid port "${text}": ${why}` });
  const slash = text.lastIndexOf('/');
  const suffix = slash === -1 ? '' : text.slice(slash);
  const parts = (slash === -1 ? text : text.slice(0, slash)).split(':');
  if (parts.length > 3) return fail('expected [IP:][HOST[-HOST]:]CONTAINER[-CONTAINER][/tcp|/udp]');
  const container = range(parts.at(-1) ?? '');
  const hostText = parts.length >= 2 ? (parts.at(-2) ?? '') : '';
  const host = hostText === '' ? null : range(hostText);
  const prefix = parts.length === 3 ? `${parts[0]}:` : '';
  if (!container || (hostText !== '' && !host)) return fail('a range is two port numbers joined by "-", the first the lower');
  if (host && host.length !== container.length) {
    return fail(`the host range has ${host.length} ports and the container range ${container.length}: give as many of each`);
  }
  return {
    ok: true,
    value: container.map((port, i) => `${prefix}${host ? host[i] : ''}${prefix || host ? ':' : ''}${port}${suffix}`),
  };
}

function range(text: string): number[] | null {
  const match = RANGE.exec(text);
  if (!match) return null;
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first < 1 || last > 65535 || last < first) return null;
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
