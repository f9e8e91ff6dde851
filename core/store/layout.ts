import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Digest, digestAlgorithm, digestHex } from '../digest/digest.js';

/**
 * Where a store keeps things. `oci/` is a plain OCI image layout (image-spec image-layout.md) that
 * skopeo and umoci read; everything else beside it is Stevedore's own bookkeeping.
 */
export interface StoreLayout {
  readonly root: string;
  readonly oci: string;
  readonly indexFile: string;
  readonly layoutFile: string;
  readonly blobs: string;
  /** Temp files being ingested; on the store's filesystem so that rename is atomic. */
  readonly ingest: string;
  readonly leases: string;
  readonly locks: string;
}

/** `--root`, else `$STEVEDORE_ROOT`, else `$XDG_DATA_HOME/stevedore` (`~/.local/share/stevedore`). */
export function resolveRoot(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.STEVEDORE_ROOT) return resolve(env.STEVEDORE_ROOT);
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return resolve(dataHome, 'stevedore');
}

export function storeLayout(root: string): StoreLayout {
  const oci = join(root, 'oci');
  return {
    root,
    oci,
    indexFile: join(oci, 'index.json'),
    layoutFile: join(oci, 'oci-layout'),
    blobs: join(oci, 'blobs'),
    ingest: join(root, 'tmp', 'ingest'),
    leases: join(root, 'tmp', 'leases'),
    locks: join(root, 'locks'),
  };
}

/** image-layout.md: blobs/<alg>/<encoded>. The digest is validated, so the path stays inside. */
export function blobPath(layout: StoreLayout, digest: Digest): string {
  return join(layout.blobs, digestAlgorithm(digest), digestHex(digest));
}
