/*
 * The Run dialog's fields, checked as they are typed, in the CLI's own syntax (-p, -e, -v, --name)
 * that containers.run takes. The engine parses them again on submit; its answer is the one that
 * counts. Each check returns a sentence for people, or null when the text is fine.
 */

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function portNumber(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : null;
}

/**
 * `-p [IP:][HOST:]CONTAINER[/tcp|/udp]`, as the engine reads it (core/runtime/network/portSpec.ts):
 * `8080:80`, `127.0.0.1:8080:80`, `53:53/udp`; without a host port (`80`, `127.0.0.1::80`) the
 * engine picks a free one.
 */
export function checkPort(text: string): string | null {
  const spec = text.trim();
  const slash = spec.lastIndexOf('/');
  const ports = slash === -1 ? spec : spec.slice(0, slash);
  const protocol = slash === -1 ? 'tcp' : spec.slice(slash + 1).toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp') return 'The protocol after “/” is tcp or udp.';
  if (ports.startsWith('[')) return 'Only IPv4 host addresses can be given, such as 127.0.0.1.';
  const parts = ports.split(':');
  if (parts.length > 3) return 'Write HOST:CONTAINER, such as 8080:80, or IP:HOST:CONTAINER.';
  if (/\d-\d/.test(ports)) return 'Port ranges are not supported: add a row per port.';
  const containerPort = parts.at(-1) ?? '';
  const hostPort = parts.length >= 2 ? (parts.at(-2) ?? '') : '';
  if (parts.length === 3 && !ipv4.test(parts[0] ?? '')) return `“${parts[0]}” is not an IPv4 address, such as 127.0.0.1.`;
  if (parts.length === 2 && ipv4.test(hostPort))
    return `With an address, write both colons: ${hostPort}::${containerPort} for a free host port.`;
  // 0, like no host port, asks the engine for a free one.
  if (hostPort !== '' && hostPort !== '0' && portNumber(hostPort) === null) {
    return `The host port “${hostPort}” is not a number from 1 to 65535 (leave it out for a free one).`;
  }
  if (portNumber(containerPort) === null) return `The container port “${containerPort}” is not a number from 1 to 65535.`;
  return null;
}

/** `-e KEY=VALUE`: a name without blanks before the first “=”; the value may be empty. */
export function checkEnv(text: string): string | null {
  const at = text.indexOf('=');
  if (at < 0) return 'Write KEY=VALUE.';
  const key = text.slice(0, at);
  if (key === '') return 'The name before “=” is missing.';
  if (/\s/.test(key)) return `“${key}” has blanks: a variable name has none.`;
  return null;
}

/** `-v HOST:CONTAINER[:ro|rw]`, both absolute (core/runtime/volumeSpec.ts has the same rules). */
export function checkVolume(text: string): string | null {
  const parts = text.trim().split(':');
  if (parts.length < 2 || parts.length > 3) return 'Write HOST:CONTAINER, such as /srv/data:/data, or add :ro.';
  const [source = '', target = '', mode] = parts;
  if (!source.startsWith('/')) return 'The host path must be absolute (start with /).';
  if (!target.startsWith('/')) return 'The container path must be absolute (start with /).';
  if (/^\/+$/.test(target)) return 'The container path cannot be /.';
  if (mode !== undefined && mode !== 'ro' && mode !== 'rw') return `“${mode}” is not a mode: use ro (read-only) or rw.`;
  return null;
}

/** docker's rule for `--name`: a letter or digit, then letters, digits, _ . or -. */
export function checkContainerName(text: string): string | null {
  if (text === '') return null;
  if (/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(text)) return null;
  return text.length === 1
    ? 'A name has at least two characters.'
    : 'A name starts with a letter or digit, then letters, digits, _ . or -.';
}
