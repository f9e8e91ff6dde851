import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { FsckReport } from '../api/store.schema.js';
import { type Digest, digestHex } from '../digest/digest.js';
import { readLayer } from '../layers/layerReader.js';
import { DEFAULT_MAX_UNPACK_BYTES } from '../layers/unpack.js';
import { classifyWhiteout } from '../layers/whiteout.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { LayerStack } from '../store/buildCacheCheck.js';
import type { Store } from '../store/store.js';
import { chainIds } from './chainId.js';

/** What a path in a snapshot must be, by its layers. */
interface Expected {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  sha256?: string;
  target?: string;
}

/** Differences listed in one problem's line before "and N more". */
const SHOWN = 3;

function entryPath(name: string): string {
  return posix
    .normalize(name)
    .replace(/^(\.\/|\/)+/, '')
    .replace(/\/+$/, '');
}

async function sha256Of(body: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function removeBelow(tree: Map<string, Expected>, dir: string, keep?: Set<string>): void {
  const prefix = dir === '' ? '' : `${dir}/`;
  for (const path of tree.keys()) if (path.startsWith(prefix) && path !== dir && !keep?.has(path)) tree.delete(path);
}

/**
 * Applies one layer to the expected tree the way the applier applies it to a snapshot: whiteouts,
 * opaque directories, a non-directory replacing a directory, hard links sharing their target.
 * The layer is read through the layer reader, so it is also checked against its diff ID.
 */
async function applyToTree(store: Store, tree: Map<string, Expected>, layer: Descriptor, diffId: Digest, what: string) {
  const thisLayer = new Set<string>();
  await readLayer(store, layer, { diffId, maxBytes: DEFAULT_MAX_UNPACK_BYTES, what }, async (header, body) => {
    const path = entryPath(header.name);
    const whiteout = classifyWhiteout(path);
    if (whiteout?.kind === 'opaque') {
      removeBelow(tree, whiteout.dir, thisLayer);
      body.resume();
      return;
    }
    if (whiteout?.kind === 'remove') {
      tree.delete(whiteout.target);
      removeBelow(tree, whiteout.target);
      body.resume();
      return;
    }
    if (path === '') {
      body.resume();
      return;
    }
    const owner = { mode: (header.mode ?? 0) & 0o7777, uid: header.uid ?? 0, gid: header.gid ?? 0 };
    let entry: Expected | undefined;
    if (header.type === 'file' || header.type === 'contiguous-file')
      entry = { type: 'file', ...owner, sha256: await sha256Of(body) };
    else if (header.type === 'directory') entry = { type: 'dir', ...owner };
    else if (header.type === 'symlink') entry = { type: 'symlink', ...owner, target: header.linkname ?? '' };
    else if (header.type === 'link') {
      const target = tree.get(entryPath(header.linkname ?? ''));
      if (target) entry = { ...target };
    } else if (['character-device', 'block-device', 'fifo'].includes(header.type ?? '')) entry = { type: 'other', ...owner };
    if (header.type !== 'file' && header.type !== 'contiguous-file') body.resume();
    if (!entry) return;
    if (entry.type !== 'dir') removeBelow(tree, path);
    tree.set(path, entry);
    thisLayer.add(path);
  });
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

/** The differences between a snapshot directory and the tree its layers make, as short phrases. */
function compareTree(dir: string, tree: Map<string, Expected>): string[] {
  const asRoot = process.getuid?.() === 0;
  const parents = new Set<string>();
  for (const path of tree.keys()) {
    for (let p = posix.dirname(path); p !== '.' && !parents.has(p); p = posix.dirname(p)) parents.add(p);
  }
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(rel ? join(dir, rel) : dir).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, path));
      const type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
      const want = tree.get(path);
      seen.add(path);
      if (!want) {
        // The applier makes the parents a layer leaves out; anything else came from elsewhere.
        if (!(type === 'dir' && parents.has(path))) found.push(`/${path} is not in its layers`);
      } else if (want.type !== type) {
        found.push(`/${path} is a ${type}, its layers make a ${want.type}`);
      } else if (
        type === 'file' &&
        createHash('sha256')
          .update(readFileSync(join(dir, path)))
          .digest('hex') !== want.sha256
      ) {
        found.push(`/${path} was changed`);
      } else if (type === 'symlink' && readlinkSync(join(dir, path)) !== want.target) {
        found.push(`/${path} points elsewhere`);
      } else if (type !== 'symlink' && (st.mode & 0o7777) !== want.mode) {
        found.push(`/${path} has mode ${octal(st.mode & 0o7777)}, its layers say ${octal(want.mode)}`);
      } else if (asRoot && (st.uid !== want.uid || st.gid !== want.gid)) {
        found.push(`/${path} is owned by ${st.uid}:${st.gid}, its layers say ${want.uid}:${want.gid}`);
      }
      if (type === 'dir') walk(path);
    }
  };
  walk('');
  for (const [path, want] of tree) {
    // Devices are made only as root; elsewhere the applier skips them (and says so).
    if (!seen.has(path) && (asRoot || want.type !== 'other')) found.push(`/${path} is missing`);
  }
  return found;
}

/**
 * Checks each snapshot (`<root>/snapshots/<chain ID>`) against its layers: their tars are read
 * again (and checked against their diff IDs), the tree they make is built in memory, and the
 * snapshot must hold exactly that: every path, type, mode, owner, file content and link target.
 * A snapshot is shared by every image standing on it, so a changed one would change them all.
 *
 * Why not a manifest recorded when the snapshot is made: the layers are the truth a snapshot is
 * made from, they are verified by digest, and this works for every snapshot already on disk.
 */
export async function checkSnapshots(
  store: Store,
  snapshotsDir: string,
  stacks: LayerStack[],
): Promise<{ checked: number; problems: FsckReport['problems'] }> {
  const problems: FsckReport['problems'] = [];
  const users = new Map<string, Set<string>>();
  for (const stack of stacks) {
    for (const chainId of chainIds(stack.diffIds)) users.set(chainId, (users.get(chainId) ?? new Set()).add(stack.name));
  }
  const done = new Set<string>();
  for (const stack of stacks) {
    const chain = chainIds(stack.diffIds);
    const wanted = chain.some((c) => !done.has(c) && existsSync(join(snapshotsDir, digestHex(c))));
    if (!wanted) continue;
    const tree = new Map<string, Expected>();
    for (const [i, chainId] of chain.entries()) {
      const what = `layer ${i + 1} of ${stack.name} (${stack.layers[i]!.digest})`;
      try {
        await applyToTree(store, tree, stack.layers[i]!, stack.diffIds[i]!, what);
      } catch (err) {
        problems.push({
          digest: chainId,
          kind: 'unreadable',
          detail: `snapshot cannot be checked: ${(err as Error).message}`,
          images: [stack.name],
        });
        break;
      }
      const dir = join(snapshotsDir, digestHex(chainId));
      if (done.has(chainId) || !existsSync(dir)) continue;
      done.add(chainId);
      const differences = compareTree(dir, tree);
      if (differences.length === 0) continue;
      const more = differences.length > SHOWN ? `, and ${differences.length - SHOWN} more` : '';
      problems.push({
        digest: chainId,
        kind: 'corrupt',
        detail: `snapshot ${dir} differs from its layers (${differences.slice(0, SHOWN).join('; ')}${more}); remove it (\`stevedore fsck --repair\`) and it is made again from the layers when next needed`,
        images: [...(users.get(chainId) ?? [])],
      });
    }
  }
  return { checked: done.size, problems };
}
