import { createReadStream, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pack as tarPack } from 'tar-stream';
import type { GuestManifest } from '../../guest/buildGuest.js';
import type { BuiltLayer } from '../builder/buildState.js';
import { commitImage } from '../builder/imageCommit.js';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import { storeLayerTar } from '../layers/storeLayer.js';
import type { ImageConfig } from '../oci/config.js';
import type { Descriptor } from '../oci/descriptor.js';
import { Store } from '../store/store.js';
import { ARTIFACT_KEYS, GUEST_KIND, guestImageRef, Label, MANIFEST_FILE, TITLE_ANNOTATION } from './guestImageFormat.js';

/**
 * A tar of one file at its top, with nothing of the machine it was made on: owner 0:0 without
 * names, mode 0644, the build's epoch as its time. (createLayerTar records the file's owner,
 * which is whoever ran the guest build, so the same guest would give a different digest as root.)
 */
function oneFileTar(name: string, path: string, epoch: number): Readable {
  const size = statSync(path).size;
  const pack = tarPack();
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  pack.pipe(out);
  pack.on('error', (err) => out.destroy(err));
  const header = {
    name,
    type: 'file' as const,
    size,
    mode: 0o644,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    mtime: new Date(epoch * 1000),
  };
  const entry = pack.entry(header, (err) => (err ? out.destroy(err) : pack.finalize()));
  const body = createReadStream(path);
  body.on('error', (err) => out.destroy(err));
  body.pipe(entry);
  return out;
}

/**
 * Stores the guest build's output (`dir` with its manifest.json) as an OCI image in the store,
 * through the builder's own commit (the same layer storing and manifest writing `build` uses),
 * tagged `localhost/stevedore/guest:<agent version>`. The artifacts are checked against the
 * manifest's sizes first, so a half-written build is not stored as a guest.
 */
export async function storeGuestImage(
  store: Store,
  dir: string,
  manifest: GuestManifest,
): Promise<{ ref: string; imageId: Digest; manifest: Descriptor }> {
  for (const key of ARTIFACT_KEYS) {
    const a = manifest.artifacts[key];
    const size = statSync(join(dir, a.path), { throwIfNoEntry: false })?.size;
    if (size !== a.size)
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `The guest build in ${dir} is incomplete: ${a.path} is not the size its manifest says.`,
      );
  }
  const epoch = manifest.sourceDateEpoch;
  const files = [
    { name: MANIFEST_FILE, path: join(dir, MANIFEST_FILE), what: 'the guest build manifest' },
    ...ARTIFACT_KEYS.map((key) => ({
      name: manifest.artifacts[key].path,
      path: join(dir, manifest.artifacts[key].path),
      what:
        key === 'kernel'
          ? `the kernel ${manifest.kernel.release}`
          : key === 'initrd'
            ? 'the initramfs'
            : 'the root filesystem (erofs)',
    })),
  ];
  const lease = store.newLease();
  const layers: BuiltLayer[] = [];
  try {
    for (const file of files) {
      const stored = await storeLayerTar(store, lease, oneFileTar(file.name, file.path, epoch));
      layers.push({
        descriptor: { ...stored.descriptor, annotations: { [TITLE_ANNOTATION]: file.name } },
        diffId: stored.diffId,
      });
    }
    const created = new Date(epoch * 1000).toISOString();
    const config: ImageConfig = {
      created,
      architecture: 'amd64',
      os: 'linux',
      config: {
        Labels: {
          [Label.kind]: GUEST_KIND,
          [Label.agentVersion]: manifest.agentVersion,
          [Label.kernel]: manifest.kernel.release,
          [Label.inputKey]: manifest.inputKey,
        },
      },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: files.map((f) => ({ created, created_by: `stevedore guest image: ${f.name}, ${f.what}` })),
    };
    const ref = guestImageRef(manifest.agentVersion);
    // The lease keeps the layers from gc until the manifest that names them is in the index.
    const committed = await commitImage(store, { key: '', config, layers }, [ref]);
    return { ref, ...committed };
  } finally {
    lease.release();
  }
}

const LAYOUT_PREFIX = 'oci-';

/**
 * The guest build's output as an OCI image layout beside its artifacts (`dir/oci-<inputs>`),
 * packed once per build: gzipping the 150 MB root filesystem, deterministically and so in
 * JavaScript, is most of what storing the guest costs, and every `machine init` from the build
 * output would pay it again. Packed in a store of its own under a temporary name and renamed, so
 * a layout that is there is whole; two inits packing at once both end with the same one.
 * Layouts of earlier builds (other inputs) are removed.
 */
export async function packedGuestLayout(dir: string, manifest: GuestManifest): Promise<string> {
  const name = `${LAYOUT_PREFIX}${manifest.inputKey.slice(0, 16)}`;
  const layout = join(dir, name);
  if (existsSync(join(layout, 'index.json'))) return layout;
  const temp = mkdtempSync(join(dir, '.pack-'));
  try {
    await storeGuestImage(Store.open(temp), dir, manifest);
    try {
      renameSync(join(temp, 'oci'), layout);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || !existsSync(join(layout, 'index.json'))) throw err;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith(LAYOUT_PREFIX) && entry !== name) rmSync(join(dir, entry), { recursive: true, force: true });
  }
  return layout;
}
