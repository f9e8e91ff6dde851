import { StevedoreError } from '../../errors.js';
import type { ExtraInterface, NetworkAttachment } from './attachment.js';
import { ensureBridge } from './bridge.js';
import { type BridgeSpec, firstFreeAddress, macForAddress } from './bridgeSubnet.js';
import { interfaceNames, plugInterface, unplugInterface } from './containerInterface.js';
import { currentBootId, type Lease, newLeaseId, readLeases, removeLease, withNetworkLock, writeLease } from './leaseStore.js';
import { ensureNatTable, removePortRules } from './natTable.js';
import { refreshNetworkHosts } from './networkHosts.js';

/** A network a container joins: a user network (brought up already) by ID, the default bridge as null. */
export interface NetworkToJoin {
  id: string | null;
  spec: BridgeSpec;
  /** The names it answers to there (none on the default bridge, where docker resolves none). */
  names: string[];
}

/**
 * A container on several networks, as docker has it: the first network's interface is eth0 with
 * the namespace and the default route (containerNetwork.ts); each further one is another veth pair
 * into the same namespace (eth1, eth2, …, the lowest name free), with an address on its network's
 * subnet held by a lease of its own. Used at start for the networks after the first, and by
 * `network connect` on a running container, which sees the interface at once.
 */
export async function addInterface(
  attachment: NetworkAttachment,
  containerId: string,
  join: NetworkToJoin,
): Promise<NetworkAttachment> {
  const { teardown } = attachment;
  if (attachment.mode !== 'bridge' || !teardown) {
    throw new StevedoreError(
      'CONFLICT',
      'container cannot be connected to multiple networks with one of the networks in private (none) mode',
    );
  }
  const extra = attachment.extra ?? [];
  const taken = new Set([...(attachment.ipAddress ? ['eth0'] : []), ...extra.map((i) => i.ifname)]);
  let index = 0;
  while (taken.has(`eth${index}`)) index++;
  const ifname = `eth${index}`;
  const lease = await withNetworkLock(async () => {
    await Promise.all([ensureBridge(join.spec), ensureNatTable()]);
    const leases = readLeases().filter((l) => l.bootId === currentBootId());
    const neighbours = leases.filter((l) => (l.network?.id ?? null) === join.id);
    const ipAddress = firstFreeAddress(new Set(neighbours.map((l) => l.ipAddress)), join.spec);
    if (!ipAddress) {
      throw new StevedoreError('CONFLICT', `no address is left in the subnet ${join.spec.subnet}/${join.spec.prefixLength}`);
    }
    const made: Lease = {
      leaseId: newLeaseId(leases),
      containerId,
      bootId: currentBootId(),
      pid: process.pid,
      committed: false,
      ipAddress,
      ports: [],
      ...(join.id ? { network: { id: join.id, names: join.names } } : {}),
    };
    writeLease(made);
    return made;
  });
  const { hostInterface } = interfaceNames(lease.leaseId);
  try {
    const noWayOut = !attachment.ipAddress && extra.length === 0;
    await plugInterface(interfaceNames(teardown.leaseId).netnsName, hostInterface, ifname, lease.ipAddress, join.spec, {
      first: false,
      defaultRoute: noWayOut,
    });
  } catch (err) {
    await unplugInterface(hostInterface).catch(() => undefined);
    removeLease(lease.leaseId);
    throw err;
  }
  writeLease({ ...lease, committed: true });
  const added: ExtraInterface = {
    networkId: join.id,
    ifname,
    leaseId: lease.leaseId,
    ipAddress: lease.ipAddress,
    prefixLength: join.spec.prefixLength,
    gateway: join.spec.gateway,
    macAddress: macForAddress(lease.ipAddress),
  };
  return { ...attachment, extra: [...extra, added] };
}

/**
 * Takes a running container off one network (`network disconnect`): its interface there goes,
 * and with it its address. The first interface's namespace stays (the container holds it, and
 * further interfaces live there); only its veth, lease and published ports go. Its neighbours
 * there stop finding it by name, and it them.
 */
export async function removeInterface(
  attachment: NetworkAttachment,
  networkId: string | null,
  root: string,
  container: { containerId: string; hostname: string },
): Promise<NetworkAttachment> {
  const { teardown } = attachment;
  if (!teardown) return attachment;
  let next: NetworkAttachment;
  if (attachment.ipAddress && (attachment.networkId ?? null) === networkId) {
    if (attachment.ports.length > 0) await removePortRules(teardown.leaseId);
    await unplugInterface(interfaceNames(teardown.leaseId).hostInterface);
    removeLease(teardown.leaseId);
    next = { ...attachment, ipAddress: null, prefixLength: null, gateway: null, macAddress: null, networkId: null, ports: [] };
  } else {
    const gone = (attachment.extra ?? []).find((i) => i.networkId === networkId);
    if (!gone) return attachment;
    await releaseExtra(gone);
    next = { ...attachment, extra: (attachment.extra ?? []).filter((i) => i !== gone) };
  }
  if (networkId) await refreshNetworkHosts(networkId, root, container);
  return next;
}

/** The veth pair and the lease of one further interface; either gone already is fine. */
export async function releaseExtra(extra: ExtraInterface): Promise<void> {
  if (!/^[0-9a-f]{12}$/.test(extra.leaseId)) {
    throw new StevedoreError('INVALID_ARGUMENT', `the network attachment names no valid lease ("${extra.leaseId}")`);
  }
  await unplugInterface(interfaceNames(extra.leaseId).hostInterface);
  removeLease(extra.leaseId);
}
