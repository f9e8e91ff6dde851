import { StevedoreError } from '../errors.js';
import type { NetworkBackend } from '../runtime/network/networkBackend.js';
import type { HandlersOf, MethodsOf } from './handlerSlice.js';
import type { Services } from './services.js';

/** User-defined networks, kept by the runtime where its containers run. */
export class NetworksService {
  constructor(private readonly s: Services) {}

  /** The runtime's networks, where it has them (the same refusal as volumes otherwise). */
  backend(): NetworkBackend {
    const runtime = this.s.containers.runtime;
    if (runtime.networks) return runtime.networks;
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `networks of the ${runtime.kind} runtime are kept where it runs containers and cannot be managed from here yet`,
    );
  }
}

export function networkHandlers(s: Services): HandlersOf<MethodsOf<'networks'>> {
  const networks = () => s.networks.backend();
  return {
    'networks.list': async () => networks().list(),
    'networks.inspect': async ({ ref }) => networks().inspect(ref),
    'networks.create': async (request) => networks().create(request),
    'networks.remove': async ({ ref }) => ({ name: await networks().remove(ref) }),
    'networks.prune': async () => networks().prune(),
    'networks.connect': async ({ network, container, aliases }) => {
      await networks().connect(network, container, aliases);
      return {};
    },
    'networks.disconnect': async ({ network, container }) => {
      await networks().disconnect(network, container);
      return {};
    },
  };
}
