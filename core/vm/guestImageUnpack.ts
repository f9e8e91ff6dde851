import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GuestManifest } from '../../guest/buildGuest.js';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import { readLayer } from '../layers/layerReader.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Store } from '../store/store.js';
import { ARTIFACT_KEYS, GUEST_KIND, Label, MANIFEST_FILE, MAX_ARTIFACT_BYTES, MAX_MANIFEST_BYTES } from './guestImageFormat.js';
import type { MachinePaths } from './machinePaths.js';

type ArtifactKey = (typeof ARTIFACT_KEYS)[number];

function notGuest(ref: string, why: string): StevedoreError {
  return new StevedoreError('INVALID_ARGUMENT', `${ref} is not a usable Stevedore guest image: ${why}.`);
}

async function readAll(body: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) throw new StevedoreError('INVALID_ARGUMENT', `the guest manifest is larger than ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The one regular file a guest layer holds, given to `take`; any other entry is refused. */
async function oneFile(
  store: Store,
  ref: string,
  layer: Descriptor,
  diffId: string | undefined,
  name: string,
  maxBytes: number,
  take: (body: Readable, size: number) => Promise<void>,
): Promise<void> {
  let seen = 0;
  await readLayer(
    store,
    layer,
    { ...(diffId ? { diffId: diffId as never } : {}), maxBytes: maxBytes + 64 * 1024, what: `${ref}'s layer ${layer.digest}` },
    async (header, body) => {
      seen += 1;
      if (seen > 1 || header.name !== name || header.type !== 'file' || (header.size ?? 0) > maxBytes) {
        body.resume();
        throw notGuest(
          ref,
          `its layer ${layer.digest} should hold the one file ${name}, and holds ${header.type} ${header.name}`,
        );
      }
      await take(body, header.size ?? 0);
    },
  );
  if (seen === 0) throw notGuest(ref, `its layer ${layer.digest} is empty, where ${name} should be`);
}

/**
 * Takes the guest's files back out of its image into the machine's directory: the manifest
 * first, then each artifact, which must be the one file of its layer, have the manifest's size
 * and sha256 (the layer's diff ID is checked as it is read, too). Each is written under a
 * temporary name and renamed once it checks out; the manifest goes last, so its presence says
 * the files beside it are whole. Returns the manifest.
 */
export async function unpackGuestImage(
  store: Store,
  image: ImageRecord,
  ref: string,
  paths: MachinePaths,
): Promise<GuestManifest> {
  if (image.config.config?.Labels?.[Label.kind] !== GUEST_KIND)
    throw notGuest(ref, `it lacks the label ${Label.kind}=${GUEST_KIND}`);
  const layers = image.manifest.layers as Descriptor[];
  const diffIds = image.config.rootfs.diff_ids;
  if (layers.length !== 1 + ARTIFACT_KEYS.length)
    throw notGuest(ref, `it has ${layers.length} layers, not ${1 + ARTIFACT_KEYS.length}`);

  let manifestBytes: Buffer | undefined;
  await oneFile(store, ref, layers[0]!, diffIds[0], MANIFEST_FILE, MAX_MANIFEST_BYTES, async (body) => {
    manifestBytes = await readAll(body, MAX_MANIFEST_BYTES);
  });
  let manifest: GuestManifest;
  try {
    manifest = JSON.parse(manifestBytes!.toString('utf8')) as GuestManifest;
  } catch {
    throw notGuest(ref, 'its manifest.json is not JSON');
  }
  const destination: Record<ArtifactKey, string> = { kernel: paths.kernel, initrd: paths.initrd, rootfs: paths.rootfs };
  for (const [i, key] of ARTIFACT_KEYS.entries()) {
    const a = manifest.artifacts?.[key];
    if (
      !a ||
      typeof a.path !== 'string' ||
      !/^[0-9a-f]{64}$/.test(a.sha256) ||
      !Number.isSafeInteger(a.size) ||
      a.size > MAX_ARTIFACT_BYTES
    )
      throw notGuest(ref, `its manifest does not describe the ${key}`);
    const temp = `${destination[key]}.part`;
    await oneFile(store, ref, layers[i + 1]!, diffIds[i + 1], a.path, a.size, async (body, size) => {
      if (size !== a.size) {
        body.resume();
        throw notGuest(ref, `${a.path} is ${size} bytes, its manifest says ${a.size}`);
      }
      const hash = createHash('sha256');
      body.on('data', (chunk: Buffer) => hash.update(chunk));
      await pipeline(body, createWriteStream(temp, { mode: 0o600 }));
      const sha256 = hash.digest('hex');
      if (sha256 !== a.sha256) {
        rmSync(temp, { force: true });
        throw notGuest(ref, `${a.path} has sha256 ${sha256}, its manifest says ${a.sha256}`);
      }
    });
    renameSync(temp, destination[key]);
  }
  writeFileSync(paths.guestManifest, manifestBytes!, { mode: 0o600 });
  return manifest;
}

/** The manifest of the guest a machine was made from (written by unpackGuestImage). */
export function readGuestManifest(paths: MachinePaths): GuestManifest {
  return JSON.parse(readFileSync(paths.guestManifest, 'utf8')) as GuestManifest;
}
