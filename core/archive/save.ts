import { randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Pack, pack as tarPack } from 'tar-stream';
import { type Digest, digestAlgorithm, digestHex } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import { REF_NAME_ANNOTATION } from '../oci/annotations.js';
import type { Descriptor } from '../oci/descriptor.js';
import { MediaType } from '../oci/mediaTypes.js';
import { familiarReference, parseReference } from '../oci/reference.js';
import type { Store } from '../store/store.js';
import { walkDag } from '../store/walk.js';
import { CONTAINERD_NAME_ANNOTATION } from './refNames.js';

/** Entries carry the epoch as mtime, so the same images always save to the same bytes. */
const EPOCH = new Date(0);

export interface SaveSelection {
  image: ImageRecord;
  /** The names asked for that belong to this image (none when asked for by ID). */
  refs: string[];
}

function blobEntryName(digest: Digest): string {
  return `blobs/${digestAlgorithm(digest)}/${digestHex(digest)}`;
}

function addFile(pack: Pack, name: string, content: string): void {
  pack.entry({ name, mtime: EPOCH, mode: 0o644, uid: 0, gid: 0 }, content);
}

async function addBlob(pack: Pack, store: Store, digest: Digest, size: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const sink = pack.entry({ name: blobEntryName(digest), size, mtime: EPOCH, mode: 0o644, uid: 0, gid: 0 }, (err) =>
      err ? reject(err) : resolve(),
    );
    const source = store.blobStream(digest);
    source.on('error', reject);
    source.pipe(sink);
  });
}

/** Both layouts at once, as `docker save` writes since Docker 25: an OCI archive that is also a docker-archive. */
function archiveIndex(selection: SaveSelection[]): { index: string; dockerManifest: string } {
  const manifests: Descriptor[] = [];
  const docker: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
  for (const { image, refs } of selection) {
    const base = { mediaType: image.top.mediaType, digest: image.top.digest, size: image.top.size };
    if (refs.length === 0) manifests.push(base);
    for (const ref of refs) {
      manifests.push({ ...base, annotations: { [REF_NAME_ANNOTATION]: ref, [CONTAINERD_NAME_ANNOTATION]: ref } });
    }
    docker.push({
      Config: blobEntryName(image.configDigest),
      RepoTags: refs.map((r) => familiarReference(parseReference(r))),
      Layers: image.manifest.layers.map((l) => blobEntryName(l.digest as Digest)),
    });
  }
  return {
    index: `${JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests })}\n`,
    dockerManifest: `${JSON.stringify(docker)}\n`,
  };
}

/** `stevedore save`: writes to a temp file beside the output and renames, so no half archive is left. */
export async function saveImages(store: Store, selection: SaveSelection[], output: string): Promise<void> {
  if (selection.length === 0) throw new StevedoreError('INVALID_ARGUMENT', 'nothing to save: name at least one image');
  const pack = tarPack();
  const toStdout = output === '-';
  const temp = toStdout ? '' : join(dirname(output), `.${basename(output)}.${randomBytes(4).toString('hex')}.partial`);
  const done = pipeline(pack, toStdout ? process.stdout : createWriteStream(temp));
  try {
    const written = new Set<string>();
    for (const { image } of selection) {
      for (const node of walkDag(store, image.top)) {
        if (!node.present || written.has(node.descriptor.digest)) continue;
        written.add(node.descriptor.digest);
        const size = store.blobSize(node.descriptor.digest);
        if (size === undefined)
          throw new StevedoreError('BLOB_NOT_FOUND', `blob ${node.descriptor.digest} is missing from the store`);
        await addBlob(pack, store, node.descriptor.digest, size);
      }
    }
    const { index, dockerManifest } = archiveIndex(selection);
    addFile(pack, 'oci-layout', `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`);
    addFile(pack, 'index.json', index);
    addFile(pack, 'manifest.json', dockerManifest);
    pack.finalize();
    await done;
    if (!toStdout) renameSync(temp, output);
  } catch (err) {
    pack.destroy(err as Error);
    await done.catch(() => undefined);
    if (!toStdout) rmSync(temp, { force: true });
    throw err;
  }
}
