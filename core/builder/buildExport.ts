import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { saveImages } from '../archive/save.js';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import { createLayerTar } from '../layers/createLayer.js';
import type { SnapshotStore } from '../snapshots/snapshotStore.js';
import type { Lease } from '../store/lease.js';
import type { Store } from '../store/store.js';
import type { BuildState } from './buildState.js';
import { writeImageBlobs } from './imageCommit.js';
import { layerOwners } from './ownersWithoutRoot.js';

/**
 * `build -o`: where the result goes instead of the store's images, as BuildKit's exporters:
 * `local` the root filesystem into a directory, `tar` the root filesystem as a tar, `oci` an OCI
 * image archive. `dest` `-` is standard output (tar and oci only).
 */
export interface BuildExport {
  type: 'local' | 'tar' | 'oci';
  dest: string;
}

const TYPES = ['local', 'tar', 'oci'] as const;

/**
 * buildx's `--output` value: `type=T,dest=D` (CSV), `-` alone a tar on standard output, any
 * other value without `=` a directory (type=local).
 */
export function parseBuildExport(spec: string): BuildExport {
  if (spec === '-') return { type: 'tar', dest: '-' };
  if (!spec.includes('=')) return { type: 'local', dest: spec };
  const fields = new Map<string, string>();
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) throw new StevedoreError('INVALID_ARGUMENT', `invalid --output "${spec}": "${part}" is not KEY=VALUE`);
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1));
  }
  const type = fields.get('type') ?? 'local';
  if (!(TYPES as readonly string[]).includes(type)) {
    throw new StevedoreError('INVALID_ARGUMENT', `invalid --output type=${type}: use type=local, type=tar or type=oci`);
  }
  const dest = fields.get('dest');
  if (!dest) throw new StevedoreError('INVALID_ARGUMENT', `invalid --output "${spec}": dest= is required`);
  if (type === 'local' && dest === '-')
    throw new StevedoreError('INVALID_ARGUMENT', 'invalid --output: type=local needs a directory, not -');
  return { type: type as BuildExport['type'], dest };
}

interface ExportDeps {
  store: Store;
  snapshots: SnapshotStore;
  /** The build's lease: the layers and the blobs written here are held until the build ends. */
  lease: Lease;
  /** Where the build keeps its scratch files (removed with the build). */
  buildDir: string;
}

/** Writes the built state where `out` says; no image is named in the store. Returns the IDs the image would have. */
export async function exportBuild(
  deps: ExportDeps,
  state: BuildState,
  out: BuildExport,
  tags: string[],
): Promise<{ imageId: Digest; manifestDigest: Digest }> {
  const written = await writeImageBlobs(deps.store, state, deps.lease);
  await writeExport(deps, state, out, tags, written);
  return { imageId: written.imageId, manifestDigest: written.manifest.digest as Digest };
}

async function writeExport(
  deps: ExportDeps,
  state: BuildState,
  out: BuildExport,
  tags: string[],
  { imageId, manifest, document }: Awaited<ReturnType<typeof writeImageBlobs>>,
): Promise<void> {
  if (out.type === 'oci') {
    const image = {
      top: manifest,
      refs: tags,
      manifestDescriptor: manifest,
      manifest: document,
      configDigest: imageId,
      config: state.config,
    };
    await saveImages(deps.store, [{ image, refs: tags }], out.dest);
    return;
  }
  if (out.type === 'local') {
    if (existsSync(out.dest) && readdirSync(out.dest).length > 0) {
      throw new StevedoreError('CONFLICT', `${out.dest} is not empty; export into a new or empty directory`);
    }
    mkdirSync(out.dest, { recursive: true });
    await unpackState(deps, state, out.dest);
    return;
  }
  const dir = join(deps.buildDir, `export-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir);
  try {
    await unpackState(deps, state, dir);
    // Without root the unpacked files are all the user's: owners come from the layers' tars.
    const owners = process.getuid?.() === 0 ? undefined : await layerOwners(deps.store, state.layers);
    const tar = createLayerTar(dir, undefined, owners ? { owners } : {});
    if (out.dest === '-') {
      await pipeline(tar, process.stdout, { end: false });
      return;
    }
    // Written beside the destination and renamed: a failed export leaves no half tar.
    const temp = join(dirname(out.dest), `.${basename(out.dest)}.${randomBytes(4).toString('hex')}.partial`);
    try {
      await pipeline(tar, createWriteStream(temp));
      renameSync(temp, out.dest);
    } finally {
      rmSync(temp, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function unpackState(deps: ExportDeps, state: BuildState, into: string): Promise<void> {
  if (state.layers.length === 0) return;
  await deps.snapshots.prepareLayers(
    state.layers.map((l) => l.descriptor),
    state.layers.map((l) => l.diffId),
    { lease: deps.lease, alsoInto: into },
  );
}
