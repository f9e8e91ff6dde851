import type { ContainerNetworkEntry, NetworkMode, RunRequest } from '../../api/containers.schema.js';
import type { NetworkEndpoint } from '../../api/networks.schema.js';
import { StevedoreError } from '../../errors.js';
import type { ContainerRecord } from '../containerRecord.js';
import type { AttachRequest } from './containerNetwork.js';
import { BUILTIN_NETWORKS, type UserNetworks } from './userNetworks.js';

/** A container's user network as its record keeps it. */
export interface UserNetworkRef {
  id: string;
  name: string;
  aliases: string[];
}

/** docker's rule for a container name, which an alias must follow too. */
const ALIAS = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * `--network` and `--network-alias` of a run: the namespace mode (a user network is a bridge of
 * its own) and the user network, found by name or ID in this store.
 */
export function chooseNetwork(
  request: Pick<RunRequest, 'network' | 'networkAliases'>,
  networks: UserNetworks,
): { mode: NetworkMode; userNetwork: UserNetworkRef | null } {
  const asked = request.network ?? 'bridge';
  const aliases = request.networkAliases ?? [];
  for (const alias of aliases) {
    if (!ALIAS.test(alias)) throw new StevedoreError('INVALID_ARGUMENT', `invalid network alias "${alias}"`);
  }
  if ((BUILTIN_NETWORKS as readonly string[]).includes(asked)) {
    if (aliases.length > 0) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        'network-scoped aliases are supported only for containers in user-defined networks',
      );
    }
    return { mode: asked as NetworkMode, userNetwork: null };
  }
  if (asked.startsWith('container:')) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      '--network container:NAME (sharing another container’s network) is not supported',
    );
  }
  const definition = networks.find(asked);
  return { mode: 'bridge', userNetwork: { id: definition.id, name: definition.name, aliases } };
}

/** What attachNetwork needs to join the record's user network (brought up first), or nothing. */
export async function userNetworkToJoin(
  record: ContainerRecord,
  networks: UserNetworks,
): Promise<AttachRequest['userNetwork'] | undefined> {
  const joined = record.config.userNetwork;
  if (!joined) return undefined;
  const spec = await networks.ensureUp(joined.id).catch((err: unknown) => {
    if (err instanceof StevedoreError && err.code === 'NOT_FOUND') {
      throw new StevedoreError('NOT_FOUND', `network ${joined.name} not found`);
    }
    throw err;
  });
  const names = [...new Set([record.config.hostname, record.name, ...joined.aliases, record.id.slice(0, 12)])];
  return { id: joined.id, spec, names };
}

/** The containers that name a network (a user network by ID, a built-in one by name), oldest first. */
export function membersOf(records: ContainerRecord[], network: string): NetworkEndpoint[] {
  return records
    .filter((r) => (r.config.userNetwork ? r.config.userNetwork.id === network : r.config.network === network))
    .sort((a, b) => a.created.localeCompare(b.created))
    .map((r) => {
      const running = r.state.status === 'running';
      return {
        id: r.id,
        name: r.name,
        aliases: r.config.userNetwork?.aliases ?? [],
        ipAddress: running ? (r.network?.ipAddress ?? null) : null,
        macAddress: running ? (r.network?.macAddress ?? null) : null,
      };
    });
}

/** The networks `inspect` shows the container on (docker's NetworkSettings.Networks). */
export function networkEntries(record: ContainerRecord): ContainerNetworkEntry[] {
  const running = record.state.status === 'running';
  const attachment = running ? record.network : null;
  const name = record.config.userNetwork?.name ?? record.config.network;
  return [
    {
      name,
      networkId: record.config.userNetwork?.id ?? null,
      aliases: record.config.userNetwork?.aliases ?? [],
      ipAddress: attachment?.ipAddress ?? null,
      prefixLength: attachment?.prefixLength ?? null,
      gateway: attachment?.gateway ?? null,
      macAddress: attachment?.macAddress ?? null,
    },
  ];
}
