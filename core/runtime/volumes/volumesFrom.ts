import type { VolumeMount } from '../../api/containers.schema.js';
import type { MountRequest } from '../../api/mountSpec.js';
import { StevedoreError } from '../../errors.js';
import type { ContainerRecord } from '../containerRecord.js';

/** What a container takes from another's: its binds and its volumes, at the same paths. */
export interface InheritedMounts {
  binds: VolumeMount[];
  volumes: Extract<MountRequest, { type: 'volume' }>[];
}

/** docker's `--volumes-from CONTAINER[:ro|:rw]`, split into the container asked for and the mode. */
export function parseVolumesFrom(text: string): { ref: string; readOnly?: boolean } {
  const match = /^([^:]+)(?::(ro|rw))?$/.exec(text);
  if (!match) throw new StevedoreError('INVALID_ARGUMENT', `invalid --volumes-from "${text}": expected CONTAINER[:ro|:rw]`);
  return { ref: match[1]!, ...(match[2] ? { readOnly: match[2] === 'ro' } : {}) };
}

/**
 * The binds and volumes of `source` (not its tmpfs mounts, as docker), each read-only as it is
 * there unless `readOnly` says otherwise. A volume it made for itself (anonymous) is shared by
 * name: it stays the source's, so removing this container does not remove it.
 */
export function volumesFrom(source: ContainerRecord, readOnly: boolean | undefined): InheritedMounts {
  return {
    binds: source.config.volumes.map((b) => ({ ...b, readOnly: readOnly ?? b.readOnly })),
    volumes: source.config.mounts.flatMap((m) =>
      m.type === 'volume'
        ? [{ type: 'volume' as const, name: m.name, target: m.target, readOnly: readOnly ?? m.readOnly, noCopy: true }]
        : [],
    ),
  };
}
