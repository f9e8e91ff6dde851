import { createReadStream, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { type Header as FullHeader, pack as tarPack } from 'tar-stream';

type Header = Partial<FullHeader> & Pick<FullHeader, 'name'>;

import { StevedoreError } from '../errors.js';
import { WHITEOUT_PREFIX } from './whiteout.js';

/** What changed under a directory: paths (relative, `/`-separated) that were added or modified, or deleted. */
export interface ChangeSet {
  changed: string[];
  deleted: string[];
}

export interface CreateLayerOptions {
  /** Clamp every mtime to this (seconds since the epoch), as SOURCE_DATE_EPOCH asks. */
  sourceDateEpoch?: number;
  /** Owners by path, over the files' own (staged without root, which cannot chown). */
  owners?: ReadonlyMap<string, { uid: number; gid: number }>;
}

/** Every path under `dir`, parents before children. */
function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel))) {
    const path = rel ? `${rel}/${name}` : name;
    out.push(path);
    if (lstatSync(join(dir, path)).isDirectory()) out.push(...walk(dir, path));
  }
  return out;
}

/** Byte order, so every machine and locale sorts the same. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function mtimeFor(ms: number, epoch: number | undefined): Date {
  const seconds = Math.floor(ms / 1000);
  return new Date((epoch !== undefined ? Math.min(seconds, epoch) : seconds) * 1000);
}

/**
 * A layer tar that depends only on the files: entries sorted by name, numeric owners without
 * user or group names, no access or change times, mtimes in whole seconds and clamped to
 * SOURCE_DATE_EPOCH when given, hard links kept as links. Deleted paths become whiteouts.
 */
export function createLayerTar(dir: string, changes: ChangeSet | undefined, options: CreateLayerOptions = {}): Readable {
  const epoch = options.sourceDateEpoch;
  const paths = changes ? [...new Set(changes.changed)] : walk(dir);
  const entries = [
    ...paths.map((p) => ({ path: p, whiteout: false })),
    ...(changes?.deleted ?? []).map((p) => ({ path: p, whiteout: true })),
  ].sort((a, b) => byteOrder(a.whiteout ? whiteoutName(a.path) : a.path, b.whiteout ? whiteoutName(b.path) : b.path));
  const pack = tarPack();
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  pack.pipe(out);
  pack.on('error', (err) => out.destroy(err));
  (async () => {
    const seenInodes = new Map<string, string>();
    for (const { path, whiteout } of entries) {
      if (whiteout) {
        await add(pack, { name: whiteoutName(path), mode: 0o644, uid: 0, gid: 0, mtime: new Date((epoch ?? 0) * 1000), size: 0 });
        continue;
      }
      const full = join(dir, path);
      const st = lstatSync(full);
      // The type bits keep a 0000 mode from being falsy, which tar-stream turns into 0644 or 0755;
      // the header holds only `mode & 0o7777`.
      const owner = options.owners?.get(path) ?? st;
      const base: Header = {
        name: path,
        mode: st.mode & 0o177777,
        uid: owner.uid,
        gid: owner.gid,
        mtime: mtimeFor(st.mtimeMs, epoch),
      };
      const inode = `${st.dev}:${st.ino}`;
      if (st.isFile() && st.nlink > 1 && seenInodes.has(inode)) {
        await add(pack, { ...base, type: 'link', linkname: seenInodes.get(inode)!, size: 0 });
      } else if (st.isFile()) {
        if (st.nlink > 1) seenInodes.set(inode, path);
        await add(pack, { ...base, type: 'file', size: st.size }, createReadStream(full));
      } else if (st.isDirectory()) {
        await add(pack, { ...base, name: `${path}/`, type: 'directory' });
      } else if (st.isSymbolicLink()) {
        await add(pack, { ...base, type: 'symlink', linkname: readlinkSync(full) });
      } else if (st.isCharacterDevice() || st.isBlockDevice()) {
        const type = st.isCharacterDevice() ? 'character-device' : 'block-device';
        await add(pack, { ...base, type, devmajor: Math.floor(st.rdev / 256), devminor: st.rdev % 256 });
      } else if (st.isFIFO()) {
        await add(pack, { ...base, type: 'fifo' });
      } else {
        throw new StevedoreError('INVALID_ARGUMENT', `cannot put ${path} in a layer: sockets are not archivable`);
      }
    }
    pack.finalize();
  })().catch((err: Error) => pack.destroy(err));
  return out;
}

function whiteoutName(path: string): string {
  const dir = posix.dirname(path);
  const base = `${WHITEOUT_PREFIX}${posix.basename(path)}`;
  return dir === '.' ? base : `${dir}/${base}`;
}

function add(pack: ReturnType<typeof tarPack>, header: Header, body?: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null) => (err ? reject(err) : resolve());
    const named = { ...header, uname: '', gname: '' };
    if (!body) {
      pack.entry(named, Buffer.alloc(0), done);
      return;
    }
    const entry = pack.entry(named, done);
    body.on('error', reject);
    body.pipe(entry);
  });
}
