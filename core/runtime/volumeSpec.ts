import { isAbsolute, normalize } from 'node:path';
import type { VolumeMount } from '../api/containers.schema.js';
import { StevedoreError } from '../errors.js';

/** docker's `-v HOST:CONTAINER[:ro|rw]`, with absolute paths (named volumes are not kept yet). */
export function parseVolumeSpec(text: string): VolumeMount {
  const parts = text.split(':');
  const invalid = (why: string) => new StevedoreError('INVALID_ARGUMENT', `invalid volume "${text}": ${why}`);
  if (parts.length < 2 || parts.length > 3) throw invalid('expected HOST:CONTAINER[:ro]');
  const [source = '', target = '', mode] = parts;
  if (!isAbsolute(source)) throw invalid('the host path must be absolute (named volumes are not supported yet)');
  if (!isAbsolute(target)) throw invalid('the container path must be absolute');
  if (normalize(target) === '/') throw invalid('the container path cannot be /');
  if (mode !== undefined && mode !== 'ro' && mode !== 'rw') throw invalid(`unknown mode "${mode}" (use ro or rw)`);
  return { source: normalize(source), target: normalize(target), readOnly: mode === 'ro' };
}
