import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Digest } from '../digest/digest.js';
import type { StoreLayout } from './layout.js';
import { isProcessAlive, ownerPid } from './processLiveness.js';

/**
 * A lease protects blobs that a running load or pull has written but not yet referenced from
 * index.json, so that a concurrent GC does not sweep them (the idea is containerd's). A lease is
 * a file named by the owning pid; it dies with its process.
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
