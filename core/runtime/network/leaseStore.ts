import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { portMapping } from '../../api/containers.schema.js';
import { withFileLock } from '../../store/lock.js';
import { writeFileAtomic } from '../../system/atomicFile.js';

/**
 * Host-global: every Stevedore process on this host, whatever its store, shares one bridge and one
 * address space, so what is taken is kept here, beside the network namespaces in /run (a tmpfs,
 * emptied at boot just as the kernel forgets the bridge, the namespaces and the rules).
 */
export const NETWORK_STATE_DIR = '/run/stevedore/network';
const LEASES_DIR = join(NETWORK_STATE_DIR, 'leases');
const LOCK_TARGET = join(NETWORK_STATE_DIR, 'lock');

/** One bridge attachment: the address and host ports it holds, and what names its kernel objects. */
const lease = z.object({
  leaseId: z.string().regex(/^[0-9a-f]{12}$/),
  containerId: z.string(),
  /** A lease of an earlier boot holds nothing any more (where /run is not a tmpfs it survives the reboot). */
  bootId: z.string(),
  /** The process attaching; an uncommitted lease whose process is gone was abandoned mid-attach. */
  pid: z.number().int(),
  /** Set when attach returned: from then on only detach gives the lease back. */
  committed: z.boolean(),
  ipAddress: z.string(),
  ports: z.array(portMapping),
  /** On a user network (absent: the default bridge): its ID, and the names the container answers to there. */
  network: z.object({ id: z.string(), names: z.array(z.string()) }).optional(),
  /**
   * Given back by its container while the kernel was still removing its veth pair: the address
   * stays taken until the pair is gone (a later attach then drops the lease); its ports are free,
   * and its names answer no more (networkHosts.ts).
   */
  released: z.boolean().optional(),
});
export type Lease = z.infer<typeof lease>;

export function currentBootId(): string {
  return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
}

/**
 * Serializes allocation across processes (proper-lockfile: mkdir-based, refreshed while held, taken
 * over when its holder died). Held only while choosing and recording; never while waiting on a container.
 */
export async function withNetworkLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(LEASES_DIR, { recursive: true });
  return withFileLock(LOCK_TARGET, `the container network state in ${NETWORK_STATE_DIR}`, fn);
}

/** Every lease on file, of this boot or (where /run outlived a reboot) an earlier one. */
export function readLeases(): Lease[] {
  if (!existsSync(LEASES_DIR)) return [];
  const leases: Lease[] = [];
  for (const name of readdirSync(LEASES_DIR)) {
    if (!name.endsWith('.json')) continue;
    try {
      leases.push(lease.parse(JSON.parse(readFileSync(join(LEASES_DIR, name), 'utf8'))));
    } catch {
      // removed meanwhile, or not a lease of ours
    }
  }
  return leases;
}

/** A lease ID no lease of this host has. */
export function newLeaseId(taken: Lease[]): string {
  for (;;) {
    const id = randomBytes(6).toString('hex');
    if (!taken.some((l) => l.leaseId === id)) return id;
  }
}

/** Written whole or not at all (temp file + rename), so a reader never sees half a lease. */
export function writeLease(value: Lease): void {
  mkdirSync(LEASES_DIR, { recursive: true });
  const path = leasePath(value.leaseId);
  // /run is a tmpfs, emptied at boot anyway: nothing to fsync.
  writeFileAtomic(path, JSON.stringify(value), { durable: false });
}

export function removeLease(leaseId: string): void {
  rmSync(leasePath(leaseId), { force: true });
}

/**
 * Keeps a detached lease as `released`: its address only. Nothing is written when the lease is
 * gone already (a second detach of the same container, or one that finished first).
 */
export function markReleased(leaseId: string): void {
  let value: Lease;
  try {
    value = lease.parse(JSON.parse(readFileSync(leasePath(leaseId), 'utf8')));
  } catch {
    return;
  }
  writeLease({ ...value, ports: [], released: true });
}

function leasePath(leaseId: string): string {
  return join(LEASES_DIR, `${leaseId}.json`);
}
