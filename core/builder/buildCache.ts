import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Digest } from '../digest/digest.js';
import type { Store } from '../store/store.js';
import { writeFileAtomic } from '../system/atomicFile.js';
import type { BuildState } from './buildState.js';

/** A step's cache key: the key before it, and everything that decides its result. */
export function stepKey(parent: string, ...parts: string[]): string {
  const hash = createHash('sha256').update(parent);
  for (const part of parts) hash.update('\0').update(part);
  return hash.digest('hex');
}

/**
 * The build cache: for each step's key, the state it led to, in `<root>/build-cache/<key>.json`.
 * An entry whose layers have left the store (`gc`, `builder prune`) is a miss, never an error.
 */
export class BuildCache {
  private readonly dir: string;

  constructor(private readonly store: Store) {
    this.dir = join(store.root, 'build-cache');
  }

  get(key: string): BuildState | undefined {
    let state: BuildState;
    try {
      state = JSON.parse(readFileSync(join(this.dir, `${key}.json`), 'utf8')) as BuildState;
    } catch {
      return undefined;
    }
    if (state.key !== key || !state.layers.every((l) => this.store.hasBlob(l.descriptor.digest as Digest))) return undefined;
    return state;
  }

  put(state: BuildState): void {
    mkdirSync(this.dir, { recursive: true });
    // Not fsynced: an entry a crash loses or empties is a cache miss (get reads it as none).
    writeFileAtomic(join(this.dir, `${state.key}.json`), JSON.stringify(state), { durable: false });
  }

  /** Every blob an entry needs: GC keeps them. */
  referencedBlobs(): Digest[] {
    const out = new Set<Digest>();
    for (const name of this.entries()) {
      try {
        const state = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as BuildState;
        for (const layer of state.layers) out.add(layer.descriptor.digest as Digest);
      } catch {
        // a half-written or foreign file: nothing to keep for it
      }
    }
    return [...out];
  }

  /** How many steps the cache remembers (`system df`). */
  count(): number {
    return this.entries().length;
  }

  /** `builder prune`: forgets every entry; returns how many there were. */
  prune(): number {
    const names = this.entries();
    for (const name of names) rmSync(join(this.dir, name), { force: true });
    return names.length;
  }

  private entries(): string[] {
    try {
      return readdirSync(this.dir).filter((n) => /^[0-9a-f]{64}\.json$/.test(n));
    } catch {
      return [];
    }
  }
}
