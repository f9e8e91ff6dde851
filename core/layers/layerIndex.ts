import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FileInfo } from '../api/layers.schema.js';
import type { Digest } from '../digest/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Store } from '../store/store.js';
import { writeFileAtomic } from '../system/atomicFile.js';
import { layerEntryPath } from './entryName.js';
import { readLayer } from './layerReader.js';
import { DEFAULT_MAX_UNPACK_BYTES } from './unpack.js';
import { classifyWhiteout } from './whiteout.js';

/** What a layer's tar says, in tar order: files, paths it deletes, directories it makes opaque. */
export interface LayerIndex {
  files: FileInfo[];
  whiteouts: string[];
  opaques: string[];
}

const CACHE_VERSION = 1;

function typeOf(tarType: string | null | undefined): FileInfo['type'] {
  switch (tarType) {
    case 'file':
    case 'contiguous-file':
    case undefined:
    case null:
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

async function hashBody(body: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Reads a stored layer into a LayerIndex, hashing every file. Layers never change, so the index
 * is cached beside the store, keyed by the layer's digest.
 */
export async function indexLayer(store: Store, layer: Descriptor, diffId: Digest | undefined): Promise<LayerIndex> {
  const cacheDir = join(store.root, 'cache', 'layer-index');
  const cacheFile = join(cacheDir, `${layer.digest.replace(':', '-')}.v${CACHE_VERSION}.json`);
  try {
    return JSON.parse(readFileSync(cacheFile, 'utf8')) as LayerIndex;
  } catch {
    // not indexed yet
  }
  const index: LayerIndex = { files: [], whiteouts: [], opaques: [] };
  await readLayer(
    store,
    layer,
    { ...(diffId ? { diffId } : {}), maxBytes: DEFAULT_MAX_UNPACK_BYTES, what: `layer ${layer.digest}` },
    async (header, body) => {
      const path = layerEntryPath(header.name);
      const whiteout = classifyWhiteout(path);
      if (whiteout?.kind === 'opaque') index.opaques.push(whiteout.dir);
      if (whiteout?.kind === 'remove') index.whiteouts.push(whiteout.target);
      const type = typeOf(header.type);
      const hash = type === 'file' ? await hashBody(body) : undefined;
      if (type !== 'file') body.resume();
      if (whiteout || path === '') return;
      index.files.push({
        path,
        type,
        size: type === 'file' ? (header.size ?? 0) : 0,
        mode: (header.mode ?? 0) & 0o7777,
        uid: header.uid ?? 0,
        gid: header.gid ?? 0,
        ...(hash ? { hash } : {}),
        ...(header.linkname ? { linkname: header.linkname } : {}),
      });
    },
  );
  mkdirSync(cacheDir, { recursive: true });
  writeFileAtomic(cacheFile, JSON.stringify(index));
  return index;
}
