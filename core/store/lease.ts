import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Digest } from '../digest/digest.js';
import type { StoreLayout } from './layout.js';
import { withStoreLock } from './lock.js';
import { isProcessAlive, ownerPid } from './processLiveness.js';

/**
 * A lease protects blobs that a running load or pull has written but not yet referenced from
 * index.json, so that a concurrent GC does not sweep them (the idea is containerd's), and what a
 * running build, unpack or container start reads: blobs, and snapshots by chain ID (see
 * `holdUnderLock`). A lease is a file named by the owning pid; it dies with its process.
 */
export class Lease {
  private readonly file: string;
  private readonly digests = new Set<string>();

  constructor(layout: StoreLayout) {
    mkdirSync(layout.leases, { recursive: true });
    this.file = join(layout.leases, `${process.pid}-${randomBytes(6).toString('hex')}`);
  }

  /** Call before a blob is renamed into place or found present, never after. */
  add(digest: Digest): void {
    if (this.digests.has(digest)) return;
    this.digests.add(digest);
    appendFileSync(this.file, `${digest}\n`);
  }

  holds(digest: string): boolean {
    return this.digests.has(digest);
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}

/** Every digest held by a lease of a live process; leases of dead processes are removed. */
export function leasedDigests(layout: StoreLayout): Set<string> {
  const held = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(layout.leases);
  } catch {
    return held;
  }
  for (const name of names) {
    const file = join(layout.leases, name);
    if (!isProcessAlive(ownerPid(name))) {
      rmSync(file, { force: true });
      continue;
    }
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) if (line) held.add(line);
  }
  return held;
}

/**
 * Leases what is in the store already (an image's blobs, snapshots by their chain ID) for as long
 * as `lease` lives. Taken under the store lock, which gc holds from its mark to its sweep of blobs
 * and snapshots: a gc either ended before (what it removed is gone, and the caller finds it
 * missing or makes it again) or starts after and keeps what the lease names.
 */
export async function holdUnderLock(layout: StoreLayout, lease: Lease, digests: readonly Digest[]): Promise<void> {
  if (digests.every((d) => lease.holds(d))) return;
  await withStoreLock(layout, async () => {
    for (const digest of digests) lease.add(digest);
  });
}
