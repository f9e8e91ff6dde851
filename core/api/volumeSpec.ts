import { cleanPath } from '../text/cleanPath.js';
import type { VolumeMount } from './containers.schema.js';

/**
 * A `-v` text as read by the engine (containers.run, `stevedore run -v`) and by the Run dialog as
 * it is typed: the one parser, so both take the same texts and refuse the rest in the same words.
 * A refusal is one sentence, lower-case so the CLI can print it after "error: ".
 */
export type VolumeSpecParse = { ok: true; value: VolumeMount } | { ok: false; message: string };

/**
 * docker's `-v HOST:CONTAINER[:ro|rw]`, with absolute paths (named volumes are not kept yet).
 * Both paths come back cleaned, as docker keeps them: `/srv/./data/` is `/srv/data`.
 */
export function parseVolumeSpec(text: string): VolumeSpecParse {
  const parts = text.split(':');
  const fail = (why: string): VolumeSpecParse => ({ ok: false, message: `invalid volume "${text}": ${why}` });
  if (parts.length < 2 || parts.length > 3) return fail('expected HOST:CONTAINER[:ro]');
  const [source = '', target = '', mode] = parts;
  if (!source.startsWith('/')) return fail('the host path must be absolute (named volumes are not supported yet)');
  if (!target.startsWith('/')) return fail('the container path must be absolute');
  if (cleanPath(target) === '/') return fail('the container path cannot be /');
  if (mode !== undefined && mode !== 'ro' && mode !== 'rw') return fail(`unknown mode "${mode}" (use ro or rw)`);
  return { ok: true, value: { source: cleanPath(source), target: cleanPath(target), readOnly: mode === 'ro' } };
}
