import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { StevedoreError } from '../../errors.js';
import { isMounted } from '../../system/mountTable.js';
import { unmount } from '../../system/unmountBatch.js';
import { type BridgeSpec, DEFAULT_BRIDGE, macForAddress } from './bridgeSubnet.js';
import { runHostIpBatch } from './ipSession.js';
import { runNetworkTool, tryNetworkTool } from './networkTools.js';

/** The kernel objects of one bridge attachment, named after its lease so no two attachments share one. */
export interface InterfaceNames {
  /** `ip netns` name; the namespace is a bind mount at /run/netns/NAME that outlives every process. */
  netnsName: string;
  /** The host end of the veth pair, a port of the bridge (15 characters at most, as the kernel wants). */
  hostInterface: string;
}

export function interfaceNames(leaseId: string): InterfaceNames {
  return { netnsName: `stevedore-${leaseId}`, hostInterface: `sd${leaseId}` };
}

export function netnsPath(netnsName: string): string {
  return `/run/netns/${netnsName}`;
}

/**
 * An empty network namespace, kept by a bind mount at /run/netns/NAME: made by this process's
 * long-lived ip where it keeps one (ipSession.ts), otherwise by an ip process of its own.
 */
export async function createNamespace(netnsName: string): Promise<void> {
  await runHostIpBatch([`netns add ${netnsName}`], 'creating the network namespace');
}

let namespaceDirSeen = false;

/**
 * Whether /run/netns is a mount point already. The first `ip netns add` of a boot makes it one
 * (a shared bind mount of itself), which does not take racing; after that, adds may run at once.
 * Once seen, it is taken to stay for the process's life (nothing of ours unmounts it): one read
 * of the mount table less at each attach.
 */
export function namespaceDirMounted(): boolean {
  namespaceDirSeen ||= isMounted('/run/netns');
  return namespaceDirSeen;
}

/**
 * Plugs a namespace made by createNamespace into the bridge as the container's first interface:
 * eth0, with lo up and the default route via the gateway (plugInterface).
 */
export async function plugIntoBridge(names: InterfaceNames, ipAddress: string, spec: BridgeSpec = DEFAULT_BRIDGE): Promise<void> {
  await plugInterface(names.netnsName, names.hostInterface, 'eth0', ipAddress, spec, { first: true, defaultRoute: true });
}

/**
 * One veth pair between a namespace and a bridge, made with one ip process run inside the
 * namespace: `ifname` there, with the container's address and a MAC that follows it; the other
 * end, `hostInterface`, made in this process's namespace (`netns` by this process's pid), up as a
 * port of the bridge, in hairpin mode (so a container can reach its own published port through
 * the host). The bridge is named by its index: ip looks it up inside the namespace, where it is
 * not. `first`: lo comes up too. `defaultRoute`: the container's way out is this interface.
 */
export async function plugInterface(
  netnsName: string,
  hostInterface: string,
  ifname: string,
  ipAddress: string,
  spec: BridgeSpec,
  options: { first: boolean; defaultRoute: boolean },
): Promise<void> {
  const bridgeIndex = interfaceIndex(spec.bridge);
  const inside = [
    `link add ${hostInterface} netns ${process.pid} master if${bridgeIndex} up type veth peer name ${ifname} address ${macForAddress(ipAddress)}`,
    `addr add ${ipAddress}/${spec.prefixLength} dev ${ifname}`,
    `link set ${ifname} up`,
    ...(options.first ? ['link set lo up'] : []),
    ...(options.defaultRoute ? [`route add default via ${spec.gateway} dev ${ifname}`] : []),
  ];
  await runNetworkTool(
    'ip',
    ['-netns', netnsName, '-batch', '-'],
    'connecting the container to the bridge',
    `${inside.join('\n')}\n`,
  );
  await setHairpin(hostInterface);
}

/** An interface's index in this process's namespace, from sysfs; a missing one is said in one line. */
function interfaceIndex(name: string): string {
  try {
    return readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8').trim();
  } catch {
    throw new StevedoreError('INTERNAL', `connecting the container to the bridge failed: ${name} does not exist`);
  }
}

/** Hairpin mode on a bridge port, written to sysfs (no process); by ip where sysfs is read-only. */
async function setHairpin(hostInterface: string): Promise<void> {
  try {
    writeFileSync(`/sys/class/net/${hostInterface}/brport/hairpin_mode`, '1');
  } catch {
    await runNetworkTool(
      'ip',
      ['link', 'set', hostInterface, 'type', 'bridge_slave', 'hairpin', 'on'],
      'connecting the container to the bridge',
    );
  }
}

/**
 * Removes the namespace and the veth pair; either being gone already is fine. The namespace goes
 * first: one that nothing holds any more (the container has ended) takes the pair with it, most
 * often before ip's next line, which then has nothing left to delete; in the batches timed, that
 * order took three quarters of the time of deleting the pair first. The veth is still removed
 * explicitly: a namespace that a process still holds survives `ip netns delete`, and with it the pair.
 */
export async function unplug(names: InterfaceNames): Promise<void> {
  // One ip process for both; -force goes on after an error, and "already gone" is no error here.
  const r = await tryNetworkTool(
    'ip',
    ['-force', '-batch', '-'],
    `netns delete ${names.netnsName}\nlink delete ${names.hostInterface}\n`,
  );
  const failures = r.stderr
    .split('\n')
    // "No such device": the namespace's end took the veth between ip's lookup of it and its removal.
    .filter(
      (line) => line.trim() && !/Cannot find device|No such device|No such file or directory|Command failed -:\d+/.test(line),
    );
  if (failures.length > 0) {
    throw new StevedoreError('INTERNAL', `removing the network of ${names.netnsName} failed: ${failures.join('; ')}`);
  }
}

/**
 * Removes the namespace only (gone already is fine), for a container that has ended: the kernel
 * takes the veth pair with it a moment later, once nothing holds the namespace. Deleting the pair
 * here as well (unplug) waits for that teardown instead, 10–30 ms of every detach on the
 * benchmark machine. What `ip netns delete` does, an unmount and an unlink, but through
 * unmountBatch.ts, so that the container's root filesystem is unmounted by the same process.
 * Resolves to whether the pair is gone already; until it is, its address must not go to another
 * container (containerNetwork.ts keeps the lease, marked released).
 */
export async function deleteNamespace(names: InterfaceNames): Promise<boolean> {
  const path = netnsPath(names.netnsName);
  if (existsSync(path)) {
    // runc's poststop hook unmounts it as the container ends (runtimeSpec.ts, unmountAfterExit).
    const complaint = isMounted(path) ? await unmount(path) : null;
    if (complaint) throw new StevedoreError('INTERNAL', `removing the network of ${names.netnsName} failed: ${complaint}`);
    rmSync(path, { force: true });
  }
  return !pairPresent(names.hostInterface);
}

/** Whether the host end of a pair is still in the host's namespace (sysfs shows the reader's namespace). */
export function pairPresent(hostInterface: string): boolean {
  return existsSync(`/sys/class/net/${hostInterface}`);
}

/** Removes one veth pair by its host end (the container's end goes with it); gone already is fine. */
export async function unplugInterface(hostInterface: string): Promise<void> {
  const r = await tryNetworkTool('ip', ['link', 'delete', hostInterface]);
  if (!r.ok && !/Cannot find device/.test(r.stderr)) {
    throw new StevedoreError('INTERNAL', `removing the interface ${hostInterface} failed: ${r.stderr.trim()}`);
  }
}
