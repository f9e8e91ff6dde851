import type { ContainerMount, VolumeMount } from '../../api/containers.schema.js';
import { type MountRequest, parseMountSpec } from '../../api/mountSpec.js';
import { acceptedOrThrow, StevedoreError } from '../../errors.js';
import { cleanPath } from '../../text/cleanPath.js';
import type { VolumeStore } from './volumeStore.js';

type EngineMountRequest = Exclude<MountRequest, { type: 'bind' }>;

/**
 * The engine-kept mounts a run asks for: its `mounts` texts, then the volumes `--volumes-from`
 * gives at paths nothing of its own is mounted at, then an anonymous volume for each of the
 * image's VOLUME paths that nothing else is mounted at (docker). Two mounts of its own at one path
 * are refused in docker's words. Binds arrive in `volumes`, never here: their paths are the caller's.
 */
export function planMounts(
  texts: string[],
  binds: VolumeMount[],
  imageVolumes: string[],
  inherited: EngineMountRequest[] = [],
): EngineMountRequest[] {
  const planned: EngineMountRequest[] = texts.map((text) => {
    const mount = acceptedOrThrow(parseMountSpec(text));
    if (mount.type === 'bind') {
      throw new StevedoreError('INVALID_ARGUMENT', `invalid mount "${text}": a bind goes in volumes, as HOST:CONTAINER`);
    }
    return mount;
  });
  const taken = new Set<string>(binds.map((b) => b.target));
  for (const mount of planned) {
    if (taken.has(mount.target)) throw new StevedoreError('INVALID_ARGUMENT', `Duplicate mount point: ${mount.target}`);
    taken.add(mount.target);
  }
  for (const mount of inherited) {
    if (taken.has(mount.target)) continue;
    taken.add(mount.target);
    planned.push(mount);
  }
  for (const path of imageVolumes) {
    const target = cleanPath(path.startsWith('/') ? path : `/${path}`);
    if (target === '/' || taken.has(target)) continue;
    taken.add(target);
    planned.push({ type: 'volume', name: null, target, readOnly: false, noCopy: false });
  }
  return planned;
}

/** Where `--mount` texts mount (those that read as one; planMounts refuses the others). */
export function mountTargets(texts: string[]): string[] {
  return texts.flatMap((text) => {
    const mount = parseMountSpec(text);
    return mount.ok ? [mount.value.target] : [];
  });
}

/**
 * The planned mounts with their volumes made (named ones on first use, anonymous ones new),
 * with the caller holding the volumes' lock.
 */
export function claimVolumesLocked(volumes: VolumeStore, planned: EngineMountRequest[]): ContainerMount[] {
  return planned.map((mount) => {
    if (mount.type === 'tmpfs') return mount;
    const name = volumes.ensureLocked(mount.name);
    return {
      type: 'volume',
      name,
      target: mount.target,
      readOnly: mount.readOnly,
      anonymous: mount.name === null,
      noCopy: mount.noCopy,
    };
  });
}

/** The anonymous volumes a container made: removed with it by `rm -v` and `run --rm`. */
export function anonymousVolumes(mounts: ContainerMount[]): string[] {
  return mounts.flatMap((m) => (m.type === 'volume' && m.anonymous ? [m.name] : []));
}
