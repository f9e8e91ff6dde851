import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FsckReport } from '../api/store.schema.js';
import { type Digest, isDigest } from '../digest/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Store } from './store.js';

/** A stack of layers something stands on, named for fsck's messages: an image, or a build step. */
export interface LayerStack {
  name: string;
  layers: Descriptor[];
  diffIds: Digest[];
}

/** One build cache entry as fsck reads it (core/builder/buildCache.ts writes `<root>/build-cache/<key>.json`). */
interface CachedStep {
  key?: unknown;
  layers?: { descriptor?: { digest?: unknown; mediaType?: unknown; size?: unknown }; diffId?: unknown }[];
}

/**
 * The build cache's entries: each must parse, and every layer it names must be in the store (a
 * corrupt one is reported by the blob pass). A broken entry only costs a rebuild of that step,
 * and `stevedore builder prune` forgets them all; fsck says so rather than letting it pass.
 * Returns the problems and the layer stacks of the sound entries (their snapshots are checked too).
 */
export function checkBuildCache(store: Store): { problems: FsckReport['problems']; stacks: LayerStack[] } {
  const dir = join(store.root, 'build-cache');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^[0-9a-f]{64}\.json$/.test(n));
  } catch {
    return { problems: [], stacks: [] };
  }
  const problems: FsckReport['problems'] = [];
  const stacks: LayerStack[] = [];
  const advice = 'run `stevedore builder prune` to forget the build cache';
  for (const name of names) {
    const key = name.slice(0, -'.json'.length);
    const what = `build cache entry ${key.slice(0, 12)}`;
    let step: CachedStep;
    try {
      step = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CachedStep;
      if (step.key !== key || !Array.isArray(step.layers)) throw new Error('not a build step');
    } catch {
      problems.push({ digest: `sha256:${key}`, kind: 'unreadable', detail: `${what} cannot be read; ${advice}`, images: [] });
      continue;
    }
    const layers = step.layers.map((l) => ({ digest: l.descriptor?.digest, diffId: l.diffId, descriptor: l.descriptor }));
    const bad = layers.findIndex(
      (l) => typeof l.digest !== 'string' || !isDigest(l.digest) || typeof l.diffId !== 'string' || !isDigest(l.diffId),
    );
    if (bad >= 0) {
      problems.push({
        digest: `sha256:${key}`,
        kind: 'unreadable',
        detail: `${what}: layer ${bad + 1} is not a valid descriptor; ${advice}`,
        images: [],
      });
      continue;
    }
    let whole = true;
    layers.forEach((l, i) => {
      if (store.hasBlob(l.digest as Digest)) return;
      whole = false;
      problems.push({
        digest: l.digest as string,
        kind: 'missing',
        detail: `${what} names layer ${i + 1}, which is not in the store; ${advice}`,
        images: [],
      });
    });
    if (whole) {
      stacks.push({
        name: what,
        layers: layers.map((l) => l.descriptor as Descriptor),
        diffIds: layers.map((l) => l.diffId as Digest),
      });
    }
  }
  return { problems, stacks };
}
