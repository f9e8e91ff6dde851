import { StevedoreError } from '../errors.js';
import { journaledVolumes } from '../runtime/containerEvents.js';
import type { VolumeBackend } from '../runtime/runtimeBackend.js';
import { directoryBytes } from '../store/diskUsage.js';
import type { HandlersOf, MethodsOf } from './handlerSlice.js';
import type { Services } from './services.js';

/** Volumes, kept by the runtime where its containers run. */
export class VolumesService {
  constructor(private readonly s: Services) {}

  /**
   * The runtime's volumes. A machine's live in its guest's store, where its engine runs the
   * containers; until its runtime forwards them they are refused here, saying so.
   */
  backend(): VolumeBackend {
    const runtime = this.s.containers.runtime;
    if (runtime.volumes) return journaledVolumes(this.s.core.store.root, runtime.volumes);
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `volumes of the ${runtime.kind} runtime are kept where it runs containers (a machine's in its own store) and cannot be managed from here yet`,
    );
  }
}

export function volumeHandlers(s: Services): HandlersOf<MethodsOf<'volumes'>> {
  const volumes = () => s.volumes.backend();
  return {
    'volumes.list': async () => volumes().list(),
    'volumes.inspect': async ({ name }) => volumes().inspect(name),
    'volumes.create': async ({ name, labels }) => volumes().create(name, labels),
    'volumes.remove': async ({ name, force }) => {
      await volumes().remove(name, force);
      return { name };
    },
    'volumes.prune': async ({ all }) => volumes().prune(all),
    'volumes.diskUsage': async () => (await volumes().list()).map((v) => ({ name: v.name, bytes: directoryBytes(v.mountpoint) })),
  };
}
