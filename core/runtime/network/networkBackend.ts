import type { NetworkCreateRequest, NetworkPruneResult, NetworkSummary } from '../../api/networks.schema.js';
import { StevedoreError } from '../../errors.js';
import type { ContainerRecord } from '../containerRecord.js';
import type { Containers } from '../containers.js';
import type { ExtraInterface } from './attachment.js';
import { checkAliases, DEFAULT_NETWORK, type JoinedNetwork, joinedNetworks, networkToJoin } from './containerNetworkChoice.js';
import { addInterface, releaseExtra, removeInterface } from './extraInterfaces.js';
import { refreshNetworkHosts } from './networkHosts.js';
import { BUILTIN_NETWORKS } from './userNetworks.js';

/** docker network's verbs, where a runtime's containers run. */
export interface NetworkBackend {
  list(): Promise<NetworkSummary[]>;
  inspect(ref: string): Promise<NetworkSummary>;
  create(request: NetworkCreateRequest): Promise<NetworkSummary>;
  /** Refused while a container on it runs; stopped ones are taken off it. Resolves to its name. */
  remove(ref: string): Promise<string>;
  prune(): Promise<NetworkPruneResult>;
  connect(network: string, container: string, aliases?: string[]): Promise<void>;
  disconnect(network: string, container: string): Promise<void>;
}

/**
 * The native runtime's networks. A container is on any number of them, as in docker: connect and
 * disconnect change a stopped container's list (its interfaces are made at its next start, eth0
 * first) and plug or unplug a running container's interface at once (extraInterfaces.ts).
 */
export function nativeNetworkBackend(containers: Containers): NetworkBackend {
  const { networks } = containers;
  /** A network named to connect or disconnect: a user network by ID, the default bridge as null. */
  const resolve = (ref: string, verb: 'connected to' | 'disconnected from'): JoinedNetwork => {
    if (ref === 'bridge') return DEFAULT_NETWORK;
    if (ref === 'host') {
      throw new StevedoreError('CONFLICT', 'container cannot be disconnected from host network or connected to host network');
    }
    if (ref === 'none') throw new StevedoreError('CONFLICT', `container cannot be ${verb} none network`);
    const definition = networks.find(ref);
    return { id: definition.id, name: definition.name, aliases: [] };
  };
  return {
    list: async () => networks.list(),
    inspect: async (ref) => networks.inspect(ref),
    create: (request) => networks.create(request),
    remove: async (ref) => {
      if ((BUILTIN_NETWORKS as readonly string[]).includes(ref)) return networks.remove(ref);
      const definition = networks.find(ref);
      // docker refuses while a container on it runs (-f or not), and lets stopped ones lose it.
      const members = await Promise.all(networks.inspect(definition.id).containers.map((m) => containers.get(m.id)));
      if (members.some((m) => m.state.status === 'running')) {
        throw new StevedoreError(
          'CONFLICT',
          `error while removing network: network ${definition.name} id ${definition.id} has active endpoints`,
        );
      }
      for (const member of members) await disconnectFrom(member.id, { ...DEFAULT_NETWORK, id: definition.id }, false);
      return networks.remove(definition.id);
    },
    prune: () => networks.prune(),
    connect: async (ref, container, aliases = []) => {
      checkAliases(aliases);
      const target = resolve(ref, 'connected to');
      if (target.id === null && aliases.length > 0) {
        throw new StevedoreError(
          'INVALID_ARGUMENT',
          'network-scoped aliases are supported only for containers in user-defined networks',
        );
      }
      const joining = { ...target, aliases };
      // The interface plugged for a running container, until its record says so.
      let plugged: { extra: ExtraInterface; leaving: { containerId: string; hostname: string } } | undefined;
      try {
        await containers.setNetworks(container, async (record) => {
          if (record.config.network === 'host') {
            throw new StevedoreError(
              'CONFLICT',
              'container cannot be disconnected from host network or connected to host network',
            );
          }
          const joined = joinedNetworks(record.config);
          if (joined.some((n) => n.id === target.id)) {
            throw new StevedoreError('CONFLICT', `endpoint with name ${record.name} already exists in network ${target.name}`);
          }
          const next = { mode: 'bridge' as const, networks: [...joined, joining] };
          if (record.state.status !== 'running') return { ...next, attachment: record.network };
          refuseUserMode(record);
          if (!record.network) throw new StevedoreError('CONFLICT', `container ${record.name} has no network to add to`);
          const join = await networkToJoin(record, joining, networks);
          const attachment = await addInterface(record.network, record.id, join);
          const extra = attachment.mode === 'bridge' ? attachment.extra?.at(-1) : undefined;
          if (extra) plugged = { extra, leaving: { containerId: record.id, hostname: record.config.hostname } };
          if (join.id) await refreshNetworkHosts(join.id, networks.root);
          return { ...next, attachment };
        });
      } catch (err) {
        // The record could not be written: nothing names the interface or its lease, which would
        // hold the address until a reboot. Both go back, and the neighbours' hosts files with them.
        if (plugged) {
          await releaseExtra(plugged.extra).catch(() => undefined);
          if (target.id) await refreshNetworkHosts(target.id, networks.root, plugged.leaving).catch(() => undefined);
        }
        throw err;
      }
    },
    disconnect: async (ref, container) => disconnectFrom(container, resolve(ref, 'disconnected from'), true),
  };

  /** Off one network; `strict`: a container not on it is an error (network rm's sweep skips it). */
  async function disconnectFrom(container: string, target: JoinedNetwork, strict: boolean): Promise<void> {
    await containers.setNetworks(container, async (record) => {
      const joined = joinedNetworks(record.config);
      if (!joined.some((n) => n.id === target.id)) {
        if (record.config.network === 'host' || record.config.network === 'none') {
          throw new StevedoreError('CONFLICT', `container cannot be disconnected from ${record.config.network} network`);
        }
        if (strict) throw new StevedoreError('CONFLICT', `container ${record.name} is not connected to network ${target.name}`);
      }
      const left = joined.filter((n) => n.id !== target.id);
      const next = { mode: left.length > 0 ? ('bridge' as const) : ('none' as const), networks: left };
      if (record.state.status !== 'running' || !record.network) return { ...next, attachment: record.network };
      refuseUserMode(record);
      const attachment = await removeInterface(record.network, target.id, networks.root, {
        containerId: record.id,
        hostname: record.config.hostname,
      });
      return { ...next, attachment };
    });
  }
}

/** A rootless container's network is its own pasta (no bridge, no veth): nothing to plug or unplug while it runs. */
function refuseUserMode(record: ContainerRecord): void {
  if (record.network?.mode === 'bridge' && !record.network.teardown) {
    throw new StevedoreError(
      'CONFLICT',
      `container ${record.name} runs on the rootless runtime's user-mode network (pasta), which has no interfaces to add or remove: stop it first`,
    );
  }
}
