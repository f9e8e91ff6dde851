import type { NetworkCreateRequest, NetworkPruneResult, NetworkSummary } from '../../api/networks.schema.js';
import { StevedoreError } from '../../errors.js';
import type { Containers } from '../containers.js';
import { BUILTIN_NETWORKS } from './userNetworks.js';

/** docker network's verbs, where a runtime's containers run. */
export interface NetworkBackend {
  list(): Promise<NetworkSummary[]>;
  inspect(ref: string): Promise<NetworkSummary>;
  create(request: NetworkCreateRequest): Promise<NetworkSummary>;
  /** Refused while a container names it; resolves to its name. */
  remove(ref: string): Promise<string>;
  prune(): Promise<NetworkPruneResult>;
  connect(network: string, container: string, aliases?: string[]): Promise<void>;
  disconnect(network: string, container: string): Promise<void>;
}

/**
 * The native runtime's networks. A container is on one network at a time here (docker allows
 * several): connect moves a stopped container onto a user network, disconnect leaves it on none.
 * A running container is refused (no live hot-plug), in one line.
 */
export function nativeNetworkBackend(containers: Containers): NetworkBackend {
  const { networks } = containers;
  return {
    list: async () => networks.list(),
    inspect: async (ref) => networks.inspect(ref),
    create: (request) => networks.create(request),
    remove: (ref) => networks.remove(ref),
    prune: () => networks.prune(),
    connect: async (network, container, aliases = []) => {
      if ((BUILTIN_NETWORKS as readonly string[]).includes(network)) {
        throw new StevedoreError(
          'INVALID_ARGUMENT',
          `a container joins ${network} with run --network ${network}, not network connect`,
        );
      }
      const definition = networks.find(network);
      await containers.setUserNetwork(container, (record) => {
        const joined = record.config.userNetwork;
        if (joined?.id === definition.id) {
          throw new StevedoreError('CONFLICT', `endpoint with name ${record.name} already exists in network ${definition.name}`);
        }
        if (joined) {
          throw new StevedoreError(
            'CONFLICT',
            `container ${record.name} is on network ${joined.name}: a container is on one network at a time here, disconnect it first`,
          );
        }
        if (record.config.network === 'host') {
          throw new StevedoreError('CONFLICT', 'container cannot be disconnected from host network or connected to host network');
        }
        return { mode: 'bridge', userNetwork: { id: definition.id, name: definition.name, aliases } };
      });
    },
    disconnect: async (network, container) => {
      const target = (BUILTIN_NETWORKS as readonly string[]).includes(network) ? network : networks.find(network).id;
      await containers.setUserNetwork(container, (record) => {
        const on = record.config.userNetwork?.id ?? record.config.network;
        if (on !== target)
          throw new StevedoreError('CONFLICT', `container ${record.name} is not connected to network ${network}`);
        if (on === 'host' || on === 'none') {
          throw new StevedoreError('CONFLICT', `container cannot be disconnected from ${on} network`);
        }
        return { mode: 'none', userNetwork: null };
      });
    },
  };
}
