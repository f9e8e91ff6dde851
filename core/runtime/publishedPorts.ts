import type { RunRequest } from '../api/containers.schema.js';
import { expandPortRange } from '../api/portRange.js';
import { acceptedOrThrow, StevedoreError } from '../errors.js';

/** docker's `--expose PORT[-PORT][/PROTOCOL]`, as an ExposedPorts key; anything else refused in one line. */
function exposeKey(text: string): string {
  const match = /^(\d{1,5}(?:-\d{1,5})?)(?:\/(tcp|udp))?$/i.exec(text.trim());
  if (!match) throw new StevedoreError('INVALID_ARGUMENT', `invalid --expose "${text}": expected PORT[-PORT][/tcp|/udp]`);
  return `${match[1]}/${(match[2] ?? 'tcp').toLowerCase()}`;
}

/**
 * The `-p` texts a container publishes: its ranges expanded one port each, and with `-P` each port
 * the image's config exposes (`80/tcp`) or `--expose` adds that no `-p` publishes already, on a
 * free host port, as docker.
 */
export function requestedPorts(request: RunRequest, exposed: Record<string, unknown> | undefined): string[] {
  const asked = (request.ports ?? []).flatMap((text) => acceptedOrThrow(expandPortRange(text)));
  const added = (request.expose ?? []).map(exposeKey);
  for (const key of added) acceptedOrThrow(expandPortRange(key));
  if (!request.publishAll) return asked;
  const published = new Set(
    asked.map((text) => {
      const [ports = '', protocol = 'tcp'] = text.split('/');
      return `${ports.split(':').at(-1)}/${protocol.toLowerCase()}`;
    }),
  );
  const fromImage = [...new Set([...Object.keys(exposed ?? {}), ...added])]
    .map((key) => (key.includes('/') ? key.toLowerCase() : `${key}/tcp`))
    .flatMap((key) => acceptedOrThrow(expandPortRange(key)))
    .filter((key, i, all) => !published.has(key) && all.indexOf(key) === i)
    .sort();
  return [...asked, ...fromImage];
}
