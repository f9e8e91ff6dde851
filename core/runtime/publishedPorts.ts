import type { RunRequest } from '../api/containers.schema.js';
import { expandPortRange } from '../api/portRange.js';
import { acceptedOrThrow } from '../errors.js';

/**
 * The `-p` texts a container publishes: its ranges expanded one port each, and with `-P` each port
 * the image's config exposes (`80/tcp`) that no `-p` publishes already, on a free host port, as docker.
 */
export function requestedPorts(request: RunRequest, exposed: Record<string, unknown> | undefined): string[] {
  const asked = (request.ports ?? []).flatMap((text) => acceptedOrThrow(expandPortRange(text)));
  if (!request.publishAll) return asked;
  const published = new Set(
    asked.map((text) => {
      const [ports = '', protocol = 'tcp'] = text.split('/');
      return `${ports.split(':').at(-1)}/${protocol.toLowerCase()}`;
    }),
  );
  const fromImage = Object.keys(exposed ?? {})
    .map((key) => (key.includes('/') ? key.toLowerCase() : `${key}/tcp`))
    .flatMap((key) => acceptedOrThrow(expandPortRange(key)))
    .filter((key) => !published.has(key))
    .sort();
  return [...asked, ...fromImage];
}
