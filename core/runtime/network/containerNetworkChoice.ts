import type { ContainerNetworkEntry, NetworkMode, RunRequest } from '../../api/containers.schema.js';
import type { NetworkEndpoint } from '../../api/networks.schema.js';
import { StevedoreError } from '../../errors.js';
import type { ContainerRecord } from '../containerRecord.js';
import { DEFAULT_BRIDGE } from './bridgeSubnet.js';
import type { AttachRequest } from './containerNetwork.js';
import type { NetworkToJoin } from './extraInterfaces.js';
import { BUILTIN_NETWORKS, type UserNetworks } from './userNetworks.js';

/** A network a container is on, as its record keeps it: a user network by ID, the default bridge as null. */
export interface JoinedNetwork {
  id: string | null;
  name: string;
  aliases: string[];
}

/** The default bridge as a record lists it. */
export const DEFAULT_NETWORK: JoinedNetwork = { id: null, name: 'bridge', aliases: [] };

/**
 * The networks a container is on, in connect order (its eth0, eth1, …): none with host or none;
 * a record made before `networks` is on its one user network, else on the default bridge.
 */
export function joinedNetworks(config: ContainerRecord['config']): JoinedNetwork[] {
  if (config.network !== 'bridge') return [];
  if (config.networks) return config.networks;
  return [config.userNetwork ?? DEFAULT_NETWORK];
}

/** docker's rule for a container name, which an alias must follow too. */
const ALIAS = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * `--network` and `--network-alias` of a run: the namespace mode (a user network is a bridge of
 * its own) and the user network, found by name or ID in this store.
 */
export function chooseNetwork(
  request: Pick<RunRequest, 'network' | 'moreNetworks' | 'networkAliases'>,
  networks: UserNetworks,
): { mode: NetworkMode; networks: JoinedNetwork[] } {
  const asked = [request.network ?? 'bridge', ...(request.moreNetworks ?? [])];
  const aliases = request.networkAliases ?? [];
  checkAliases(aliases);
  const builtin = (name: string) => (BUILTIN_NETWORKS as readonly string[]).includes(name);
  if (asked.length > 1 && asked.some((n) => n === 'host' || n === 'none')) {
    // docker's CLI, word for word.
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      'conflicting options: cannot attach both user-defined and non-user-defined network-modes',
    );
  }
  const first = asked[0]!;
  if (asked.length === 1 && builtin(first)) {
    if (aliases.length > 0) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        'network-scoped aliases are supported only for containers in user-defined networks',
      );
    }
    return { mode: first as NetworkMode, networks: first === 'bridge' ? [DEFAULT_NETWORK] : [] };
  }
  const joined: JoinedNetwork[] = [];
  for (const name of asked) {
    if (name.startsWith('container:')) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        '--network container:NAME (sharing another container’s network) is not supported',
      );
    }
    // The default bridge takes no aliases (docker's rule); every user network gets them all.
    const network = name === 'bridge' ? DEFAULT_NETWORK : { ...pick(networks, name), aliases };
    if (joined.some((n) => n.id === network.id)) {
      throw new StevedoreError('INVALID_ARGUMENT', `network ${network.name} is specified multiple times`);
    }
    joined.push(network);
  }
  return { mode: 'bridge', networks: joined };
}

function pick(networks: UserNetworks, name: string): Omit<JoinedNetwork, 'aliases'> {
  const definition = networks.find(name);
  return { id: definition.id, name: definition.name };
}

/** An alias must follow docker's rule for a container name. */
export function checkAliases(aliases: string[]): void {
  for (const alias of aliases) {
    if (!ALIAS.test(alias)) throw new StevedoreError('INVALID_ARGUMENT', `invalid network alias "${alias}"`);
  }
}

/** What attachNetwork needs to join one of the record's networks: a user network is brought up first. */
export async function networkToJoin(
  record: ContainerRecord,
  joined: JoinedNetwork,
  networks: UserNetworks,
): Promise<NetworkToJoin> {
  if (joined.id === null) return { id: null, spec: DEFAULT_BRIDGE, names: [] };
  const id = joined.id;
  const spec = await networks.ensureUp(id).catch((err: unknown) => {
    if (err instanceof StevedoreError && err.code === 'NOT_FOUND') {
      throw new StevedoreError('NOT_FOUND', `network ${joined.name} not found`);
    }
    throw err;
  });
  const names = [...new Set([record.config.hostname, record.name, ...joined.aliases, record.id.slice(0, 12)])];
  return { id, spec, names };
}

/**
 * What attachNetwork needs for the record's networks: the first one's (a user network, or none
 * for the default bridge) and the others, in order.
 */
export async function networksToJoin(
  record: ContainerRecord,
  networks: UserNetworks,
): Promise<Pick<AttachRequest, 'userNetwork' | 'more'>> {
  const joined = await Promise.all(joinedNetworks(record.config).map((n) => networkToJoin(record, n, networks)));
  const [first, ...more] = joined;
  return {
    ...(first?.id ? { userNetwork: { id: first.id, spec: first.spec, names: first.names } } : {}),
    ...(more.length > 0 ? { more } : {}),
  };
}

/** The containers that name a network (a user network by ID, a built-in one by name), oldest first. */
export function membersOf(records: ContainerRecord[], network: string): NetworkEndpoint[] {
  const id = network === 'bridge' ? null : network;
  return records
    .flatMap((r) => {
      const on =
        network === 'host' || network === 'none'
          ? r.config.network === network
            ? { ...DEFAULT_NETWORK, name: network }
            : undefined
          : joinedNetworks(r.config).find((n) => n.id === id);
      return on ? [{ record: r, on }] : [];
    })
    .sort((a, b) => a.record.created.localeCompare(b.record.created))
    .map(({ record, on }) => {
      const iface = interfaceOn(record, on.id);
      return {
        id: record.id,
        name: record.name,
        aliases: on.aliases,
        ipAddress: iface?.ipAddress ?? null,
        macAddress: iface?.macAddress ?? null,
      };
    });
}

/** The running container's interface on a network (null: the default bridge), if it has one. */
function interfaceOn(
  record: ContainerRecord,
  networkId: string | null,
): Pick<ContainerNetworkEntry, 'ipAddress' | 'prefixLength' | 'gateway' | 'macAddress'> | undefined {
  const attachment = record.state.status === 'running' ? record.network : null;
  if (attachment?.mode !== 'bridge') return undefined;
  if (attachment.ipAddress && (attachment.networkId ?? null) === networkId) return attachment;
  return attachment.extra?.find((i) => i.networkId === networkId);
}

/** The networks `inspect` shows the container on (docker's NetworkSettings.Networks), in connect order. */
export function networkEntries(record: ContainerRecord): ContainerNetworkEntry[] {
  const joined = joinedNetworks(record.config);
  if (record.config.network !== 'bridge' || joined.length === 0) {
    return [{ ...unaddressed(), name: record.config.network === 'host' ? 'host' : 'none' }];
  }
  return joined.map((n) => {
    const iface = interfaceOn(record, n.id);
    return {
      name: n.name,
      networkId: n.id,
      aliases: n.aliases,
      ipAddress: iface?.ipAddress ?? null,
      prefixLength: iface?.prefixLength ?? null,
      gateway: iface?.gateway ?? null,
      macAddress: iface?.macAddress ?? null,
    };
  });
}

/** The name a listing shows: the first network's, host or none. */
export function networkName(record: ContainerRecord): string {
  return joinedNetworks(record.config)[0]?.name ?? (record.config.network === 'host' ? 'host' : 'none');
}

/** Every network a listing shows, in connect order: docker ps's NETWORKS. */
export function networkNames(record: ContainerRecord): string[] {
  const joined = joinedNetworks(record.config);
  return joined.length > 0 ? joined.map((n) => n.name) : [networkName(record)];
}

function unaddressed(): Omit<ContainerNetworkEntry, 'name'> {
  return { networkId: null, aliases: [], ipAddress: null, prefixLength: null, gateway: null, macAddress: null };
}
