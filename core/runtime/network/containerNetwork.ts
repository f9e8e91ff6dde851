import { type NetworkMode, type PortRequest, portRequest } from '../../api/containers.schema.js';
import { StevedoreError } from '../../errors.js';
import { isProcessAlive } from '../../store/processLiveness.js';
import { attachRootless, detachRootless, rootlessNetworkDir, userModeNetnsDir } from '../rootless/rootlessNetwork.js';
import type { NetworkAttachment } from './attachment.js';
import { ensureBridge } from './bridge.js';
import { type BridgeSpec, DEFAULT_BRIDGE, firstFreeAddress, macForAddress } from './bridgeSubnet.js';
import {
  createNamespace,
  deleteNamespace,
  type InterfaceNames,
  interfaceNames,
  namespaceDirMounted,
  netnsPath,
  pairPresent,
  plugIntoBridge,
  unplug,
} from './containerInterface.js';
import { addInterface, type NetworkToJoin, releaseExtra } from './extraInterfaces.js';
import { forgetFirewallCheck, recentFirewallCheck, recordFirewallCheck } from './firewallCheck.js';
import { forwardingBlockedNote, listChains, natTableChains } from './hostFirewall.js';
import { reserveHostPorts } from './hostPorts.js';
import {
  currentBootId,
  type Lease,
  markReleased,
  newLeaseId,
  readLeases,
  removeLease,
  withNetworkLock,
  writeLease,
} from './leaseStore.js';
import { addPortRules, ensureNatTable, removePortRules, ruleComment } from './natTable.js';
import { refreshNetworkHosts } from './networkHosts.js';
import { keepPortHold, takePortHold } from './portHold.js';
import { stopPortKeeper } from './portKeeper.js';
import { containerResolvConf, hostResolvConf } from './resolvConf.js';

export type { NetworkAttachment } from './attachment.js';

export interface AttachRequest {
  containerId: string;
  mode: NetworkMode;
  ports: PortRequest[];
  /** The container's hostname; /etc/hosts is written by the bundle, from the attachment's address. */
  hostname: string;
  /** A user network to join instead of the default bridge (mode `bridge`), already set up (userNetworks.ts). */
  userNetwork?: { id: string; spec: BridgeSpec; names: string[] };
  /** The networks it is on after the first, in order: eth1, eth2, … (extraInterfaces.ts). */
  more?: NetworkToJoin[];
}

const CONTAINER_ID = /^[0-9A-Za-z][0-9A-Za-z_.-]{0,127}$/;

/**
 * Work that needs a container's attachment (its namespace, its address) but not its interfaces
 * configured, such as writing its bundle: done while they are, and awaited with them.
 */
export type WhileConfiguring = (attachment: NetworkAttachment) => Promise<void>;

/**
 * Gives a container its network. `bridge`: its own namespace on the stevedore0 bridge with an
 * address of its own, NAT to the outside and the published ports DNATed to it. `host`: the host's
 * network as it is. `none`: nothing (runc makes an empty namespace). Everything made lives in the
 * kernel and in /run, not in this process: it stays when the caller exits, until detachNetwork.
 * A port in use, or anything else failing (`meanwhile` included), leaves nothing behind.
 */
export async function attachNetwork(request: AttachRequest, meanwhile?: WhileConfiguring): Promise<NetworkAttachment> {
  if (!CONTAINER_ID.test(request.containerId)) {
    throw new StevedoreError('INVALID_ARGUMENT', `"${request.containerId}" is not a container ID`);
  }
  // As docker: `-p` means nothing without a network of the container's own.
  const discarded = request.ports.length > 0 ? [`published ports are discarded with --network ${request.mode}`] : [];
  switch (request.mode) {
    case 'host':
    case 'none': {
      const resolvConf = request.mode === 'host' ? hostResolvConf() : containerResolvConf();
      const attachment = { ...unattached(request.mode), resolvConf, notes: discarded };
      await meanwhile?.(attachment);
      return attachment;
    }
    case 'bridge': {
      // A rootless engine's default network is user-mode (pasta): the bridge needs root on the host.
      const userMode = rootlessNetworkDir();
      if (!userMode) return attachToBridge(request, meanwhile);
      request.ports.forEach(checkPortRequest);
      const attachment = await attachRootless(userMode, request);
      try {
        await meanwhile?.(attachment);
      } catch (err) {
        await detachNetwork(attachment).catch(() => undefined);
        throw err;
      }
      return attachment;
    }
  }
}

function unattached(mode: NetworkMode): Omit<NetworkAttachment, 'resolvConf' | 'notes'> {
  return {
    mode,
    netnsPath: null,
    ipAddress: null,
    prefixLength: null,
    gateway: null,
    macAddress: null,
    ports: [],
    teardown: null,
  };
}

/** Requests from a record rather than from parsePortSpec are checked too: their fields go into nft rules. */
function checkPortRequest(port: PortRequest): void {
  if (!portRequest.safeParse(port).success) {
    throw new StevedoreError('INVALID_ARGUMENT', `invalid port request ${JSON.stringify(port)}`);
  }
}

async function attachToBridge(request: AttachRequest, meanwhile?: WhileConfiguring): Promise<NetworkAttachment> {
  if (process.getuid?.() !== 0) {
    throw new StevedoreError('DENIED', 'bridge networking needs root; run as root, or use --network host or none');
  }
  request.ports.forEach(checkPortRequest);
  const resolvConf = containerResolvConf();
  // One chain listing, taken while the attach goes on: the firewall diagnosis (a note only) and
  // whether Stevedore's table is already there; none within a minute of the last (firewallCheck.ts).
  const recent = recentFirewallCheck();
  const chains = recent ? undefined : listChains();
  const firewallNote = chains ? forwardingBlockedNote(chains) : Promise.resolve(recent?.note ?? undefined);
  const spec = request.userNetwork?.spec ?? DEFAULT_BRIDGE;
  const networkId = request.userNetwork?.id ?? null;
  const { lease, namespace } = await withNetworkLock(async () => {
    const listed = chains ? await chains : undefined;
    await Promise.all([ensureBridge(spec), recent ? undefined : ensureNatTable(listed ? natTableChains(listed) : [])]);
    const leases = await reclaimAbandoned(readLeases());
    const neighbours = leases.filter((l) => (l.network?.id ?? null) === networkId);
    const ipAddress = firstFreeAddress(new Set(neighbours.map((l) => l.ipAddress)), spec);
    if (!ipAddress) {
      throw new StevedoreError('CONFLICT', `no address is left in the container subnet ${spec.subnet}/${spec.prefixLength}`);
    }
    const { ports, hold } = await reserveHostPorts(
      request.ports,
      leases.flatMap((l) => l.ports),
    );
    const lease: Lease = {
      leaseId: newLeaseId(leases),
      containerId: request.containerId,
      bootId: currentBootId(),
      pid: process.pid,
      committed: false,
      ipAddress,
      ports,
      ...(request.userNetwork ? { network: { id: request.userNetwork.id, names: request.userNetwork.names } } : {}),
    };
    keepPortHold(lease.leaseId, hold);
    writeLease(lease);
    const { netnsName } = interfaceNames(lease.leaseId);
    if (namespaceDirMounted()) {
      // Made while the lock is given back.
      const namespace = createNamespace(netnsName);
      namespace.catch(() => undefined);
      return { lease, namespace };
    }
    try {
      // Under the lock: the first `ip netns add` of a boot sets up /run/netns, which does not take racing.
      await createNamespace(netnsName);
    } catch (err) {
      takePortHold(lease.leaseId)?.release();
      removeLease(lease.leaseId);
      throw err;
    }
    return { lease, namespace: Promise.resolve() };
  });

  const names = interfaceNames(lease.leaseId);
  const made = (notes: string[]): NetworkAttachment => ({
    mode: 'bridge',
    netnsPath: netnsPath(names.netnsName),
    ipAddress: lease.ipAddress,
    prefixLength: spec.prefixLength,
    gateway: spec.gateway,
    networkId,
    macAddress: macForAddress(lease.ipAddress),
    ports: lease.ports,
    resolvConf,
    notes,
    teardown: { leaseId: lease.leaseId, ...names },
  });
  try {
    await namespace;
    const publish = () => addPortRules(ruleComment(lease.leaseId, request.containerId), lease.ipAddress, lease.ports);
    const published = publish().catch(async (err: unknown) => {
      // Taken as it was at the last look, the table may have gone since: made again, then once more.
      if (!recent) throw err;
      forgetFirewallCheck();
      await withNetworkLock(() => ensureNatTable());
      await publish();
    });
    // The veth, the ports and the caller's work at once; each ends before anything is given back.
    const ends = await Promise.allSettled([plugIntoBridge(names, lease.ipAddress, spec), published, meanwhile?.(made([]))]);
    const failed = ends.find((end) => end.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    await release(lease.leaseId, names, lease.ports.length > 0).catch(() => undefined);
    throw err;
  }
  writeLease({ ...lease, committed: true });
  let attachment = made(
    await firewallNote.then((note) => {
      if (!recent) recordFirewallCheck(note);
      return note ? [note] : [];
    }),
  );
  try {
    for (const join of request.more ?? []) attachment = await addInterface(attachment, request.containerId, join);
  } catch (err) {
    await detachNetwork(attachment).catch(() => undefined);
    throw err;
  }
  return attachment;
}

/**
 * Takes the container off its network and gives back its address and ports: the DNAT rules, the
 * veth pair and the namespace go, then the lease. Each step tolerates its work being done already,
 * so detach may run twice, concurrently, from another process, or after a crash half-way through.
 */
export async function detachNetwork(attachment: NetworkAttachment, storeRoot?: string): Promise<void> {
  const teardown = attachment.teardown;
  // conmon's exit command settles a rootless container in a plain engine: the store says where its namespaces are.
  const userMode = storeRoot ? userModeNetnsDir(storeRoot) : rootlessNetworkDir();
  if (attachment.mode === 'bridge' && !teardown && attachment.netnsPath && userMode) {
    return detachRootless(userMode, attachment.netnsPath);
  }
  if (attachment.mode !== 'bridge' || !teardown) return;
  if (!/^[0-9a-f]{12}$/.test(teardown.leaseId)) {
    throw new StevedoreError('INVALID_ARGUMENT', `the network attachment names no valid lease ("${teardown.leaseId}")`);
  }
  const extra = attachment.extra ?? [];
  for (const one of extra) await releaseExtra(one);
  // Names are derived again rather than trusted from the record: they are passed to ip.
  await release(teardown.leaseId, interfaceNames(teardown.leaseId), attachment.ports.length > 0);
  // Its neighbours stop finding it by name.
  if (!storeRoot) return;
  const left = [attachment.networkId ?? null, ...extra.map((i) => i.networkId)];
  for (const id of new Set(left)) if (id) await refreshNetworkHosts(id, storeRoot);
}

/**
 * `published`: whether the lease has ports, so DNAT rules to remove (its holder knows, without
 * reading the leases again). The namespace goes and the kernel removes the pair with it; a lease
 * whose pair is not gone yet stays, marked released, holding its address until a later attach
 * finds the pair gone (or removes it). `waitForPair`: remove the pair here and the lease with it.
 */
async function release(leaseId: string, names: InterfaceNames, published: boolean, waitForPair = false): Promise<void> {
  takePortHold(leaseId)?.release();
  if (published) await removePortRules(leaseId);
  // Only now that no rule forwards them may the ports go to another program.
  stopPortKeeper(leaseId);
  if (waitForPair) await unplug(names);
  else if (!(await deleteNamespace(names))) return markReleased(leaseId);
  removeLease(leaseId);
}

/**
 * Leases nobody will ever detach: one of an earlier boot (its kernel objects died with it, though a
 * /run that is not a tmpfs still holds its namespace file), and an uncommitted one whose process is
 * gone (killed mid-attach). What they made is removed, and their address and ports are free again.
 * And released leases: their pair is gone by now, or a process that kept the namespace keeps it
 * (the pair is removed then, so that the address can go to another container).
 */
async function reclaimAbandoned(leases: Lease[]): Promise<Lease[]> {
  const bootId = currentBootId();
  const live: Lease[] = [];
  for (const lease of leases) {
    const names = interfaceNames(lease.leaseId);
    if (lease.released) {
      if (pairPresent(names.hostInterface)) await unplug(names);
      removeLease(lease.leaseId);
    } else if (lease.bootId === bootId && (lease.committed || isProcessAlive(lease.pid))) live.push(lease);
    else await release(lease.leaseId, names, lease.ports.length > 0, true);
  }
  return live;
}
