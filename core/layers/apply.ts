import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  futimesSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import type { Header as Headers } from 'tar-stream';
import { StevedoreError } from '../errors.js';
import { runTool } from '../system/runTool.js';
import { inUserNamespace, unmappedOwnerMessage } from '../system/userNamespace.js';
import { resolveInRoot } from './confinedPath.js';
import { applyDirectoryMetadata, type DeferredDirectory, recordDirectory } from './directoryMetadata.js';
import { layerEntryPath } from './entryName.js';
import { classifyWhiteout } from './whiteout.js';

export interface ApplyOptions {
  /** Set ownership from the tar (needs root); otherwise files belong to whoever unpacks. */
  preserveOwnership: boolean;
}

export interface ApplyReport {
  entries: number;
  /** Things skipped where the platform or privileges don't allow them, said once each. */
  notes: string[];
}

export interface LayerEntry {
  header: Headers;
  body: Readable;
}

const isRoot = process.getuid?.() === 0;
const [ownUid, ownGid] = [process.getuid?.() ?? 0, process.getgid?.() ?? 0];
/** The process umask, read once (setting it back at once): files are created with their mode when it allows. */
const UMASK = (() => {
  const old = process.umask(0o022);
  process.umask(old);
  return old;
})();
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Control characters (a name may hold a newline) as JSON writes them, so that an error stays one line. */
const CONTROL = /[\u0000-\u001f\u007f]/;
const oneLine = (text: string) => text.replace(new RegExp(CONTROL.source, 'g'), (c) => JSON.stringify(c).slice(1, -1));

function entryError(name: string, err: unknown, owner?: { uid: number; gid: number }): StevedoreError {
  if (err instanceof StevedoreError) {
    return CONTROL.test(err.message) ? new StevedoreError(err.code, oneLine(err.message)) : err;
  }
  const e = err as NodeJS.ErrnoException;
  // Rootless: chown to an id the user namespace does not map fails with EINVAL (user_namespaces(7)).
  if (e.code === 'EINVAL' && /chown/.test(e.syscall ?? '') && owner && inUserNamespace())
    return new StevedoreError('INVALID_ARCHIVE', oneLine(unmappedOwnerMessage(name, owner.uid, owner.gid)));
  const why = [e.code, e.message].filter(Boolean).join(' ');
  return new StevedoreError('INVALID_ARCHIVE', oneLine(`cannot apply layer entry "${name}": ${why}`));
}

async function drain(body: Readable): Promise<void> {
  for await (const _ of body) {
    // content of an entry that is not materialized
  }
}

/**
 * Entries this unpacker would write wrong, refused by name rather than written as something else.
 * A sparse file's tar body is its data regions packed together, with the map of where they go in
 * a GNU extension: old GNU tar's type 'S' (which tar-stream reports as no type, like any type it
 * does not know: a volume label, a multi-volume continuation) or PAX GNU.sparse.* records
 * (formats 0.0 to 1.0, where the body also starts with the map). Written out plainly, either
 * would be a file with other content. Docker's unpacker refuses unknown types too.
 */
function refuseUnwritable(header: Headers): void {
  const pax = (header.pax ?? {}) as Record<string, string>;
  if (Object.keys(pax).some((key) => key.startsWith('GNU.sparse.'))) {
    throw new StevedoreError(
      'INVALID_ARCHIVE',
      `refusing layer entry "${pax['GNU.sparse.name'] ?? header.name}": it is a sparse file (GNU.sparse PAX records), which this unpacker cannot write`,
    );
  }
  if (!header.type) {
    throw new StevedoreError(
      'INVALID_ARCHIVE',
      `refusing layer entry "${header.name}": its tar type is not one this unpacker knows (a GNU sparse file or another tar extension)`,
    );
  }
}

/**
 * Whether `target` is `root` itself or inside it (textually; resolveInRoot already confined it).
 * `...` and `..x` are names like any other: only a `..` component climbs.
 */
function insideRoot(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
}

/**
 * Applies one layer's entries onto a root filesystem, in tar order, as image-spec layer.md says:
 * whiteouts delete from the layers below, an opaque marker hides everything below its directory
 * (but not what this layer itself puts there, wherever the marker sits), type changes replace.
 * Every path is resolved inside the root (confinedPath.ts); nothing outside it is created,
 * changed, or linked to.
 */
export class LayerApplier {
  private readonly created = new Set<string>();
  /**
   * Parent directories resolved in this layer (relative path -> real directory inside the root),
   * so a 20,000-file layer does not resolve the same parents 20,000 times. Any removal forgets
   * them all: a directory may be replaced by a symlink afterwards.
   */
  private readonly parents = new Map<string, string>();
  /** Directories this layer created: nothing lower was in them, so their entries need no lstat. */
  private readonly fresh = new Set<string>();
  /**
   * Directories whose mode, owner and times wait for the layer's end (real path -> what they were
   * when met): the last entry for a path wins, as in tar.
   */
  private readonly directories = new Map<string, DeferredDirectory>();
  private readonly notes = new Set<string>();
  private entries = 0;

  constructor(
    private readonly root: string,
    private readonly options: ApplyOptions,
  ) {}

  async apply(entry: LayerEntry): Promise<void> {
    const { header, body } = entry;
    this.entries++;
    let path: string;
    try {
      path = layerEntryPath(header.name);
      refuseUnwritable(header);
    } catch (err) {
      await drain(body).catch(() => undefined);
      throw entryError(header.name, err);
    }
    try {
      const whiteout = classifyWhiteout(path);
      if (whiteout) {
        await drain(body);
        if (whiteout.kind === 'opaque') this.hideBelow(resolveInRoot(this.root, whiteout.dir, true));
        else this.remove(whiteout.target);
        return;
      }
      if (path === '') {
        await drain(body);
        if (header.type === 'directory') this.deferDirectory(this.root, header);
        return;
      }
      await this.create(path, header, body);
    } catch (err) {
      body.resume();
      // A tar cut in the middle of this entry's body: the reader says that of the whole stream, by its name.
      if (/unexpected end of data/i.test((err as Error).message ?? '') && !(err as NodeJS.ErrnoException).code) throw err;
      throw entryError(header.name, err, { uid: header.uid ?? 0, gid: header.gid ?? 0 });
    }
  }

  /**
   * Directory modes and times last: writing children changes a directory's mtime, and 0555 would
   * block them. Deepest first, so a parent's mode never blocks reaching its children. Each is
   * applied to what the path is now and only if it is still that directory (directoryMetadata.ts).
   */
  finish(): ApplyReport {
    const depth = (path: string) => path.split('/').length;
    const deepestFirst = [...this.directories].sort(([a], [b]) => depth(b) - depth(a));
    for (const [path, dir] of deepestFirst) {
      try {
        applyDirectoryMetadata(this.root, path, dir);
      } catch (err) {
        throw entryError(relative(this.root, path) || '.', err, dir.owner);
      }
    }
    return { entries: this.entries, notes: [...this.notes] };
  }

  private deferDirectory(path: string, header: Headers): void {
    const [uid, gid] = [header.uid ?? 0, header.gid ?? 0];
    this.directories.set(
      path,
      recordDirectory(path, {
        mode: (header.mode ?? 0o755) & 0o7777,
        ...(this.options.preserveOwnership && isRoot ? { owner: { uid, gid } } : {}),
        ...(header.mtime ? { mtime: header.mtime } : {}),
      }),
    );
  }

  private remove(target: string): void {
    const parent = resolveInRoot(this.root, dirname(target), true);
    const victim = join(parent, target.split('/').pop()!);
    if (!insideRoot(this.root, victim) || victim === this.root || this.created.has(victim)) return;
    this.removePath(victim);
  }

  private removePath(path: string): void {
    rmSync(path, { recursive: true, force: true });
    this.parents.clear();
  }

  /** The entry's place in the root: its parent resolved inside the root (and made), its own name not followed. */
  private placeOf(path: string, name: string): { target: string; parentIsFresh: boolean } {
    const slash = path.lastIndexOf('/');
    const parentPath = slash === -1 ? '' : path.slice(0, slash);
    let parent = this.parents.get(parentPath);
    if (parent === undefined) {
      parent = resolveInRoot(this.root, parentPath, true);
      if (!insideRoot(this.root, parent)) {
        throw new StevedoreError('UNSAFE_PATH', `refusing layer entry "${name}": it resolves outside the root filesystem`);
      }
      this.madeOnTheWay(parent, this.makeParent(parent, name));
      this.parents.set(parentPath, parent);
    }
    return { target: join(parent, path.slice(slash + 1)), parentIsFresh: this.fresh.has(parent) };
  }

  /** `mkdir -p` of an entry's parent; a file or device on the way is said so, naming the entry. */
  private makeParent(parent: string, name: string): string | undefined {
    try {
      return mkdirSync(parent, { recursive: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTDIR') throw err;
      throw new StevedoreError('INVALID_ARCHIVE', `refusing layer entry "${name}": a parent of it is not a directory`);
    }
  }

  /**
   * The directories `mkdir -p` made, from `first` down to `parent`, are this layer's own as much
   * as its entries: a later directory entry for one of them finds it there (not mkdir again), an
   * opaque marker above keeps them, and nothing lower was in them.
   */
  private madeOnTheWay(parent: string, first: string | undefined): void {
    if (first === undefined) return;
    for (let dir = parent; ; dir = dirname(dir)) {
      this.created.add(dir);
      this.fresh.add(dir);
      if (dir === first || dir === this.root) return;
    }
  }

  /** The opaque rule: everything in `dir` that this layer did not itself create goes. */
  private hideBelow(dir: string): void {
    if (!insideRoot(this.root, dir)) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const child = join(dir, name);
      if (!this.created.has(child)) this.removePath(child);
      else if (lstatSync(child).isDirectory()) this.hideBelow(child);
    }
  }

  private async create(path: string, header: Headers, body: Readable): Promise<void> {
    const { target, parentIsFresh } = this.placeOf(path, header.name);
    const existing = parentIsFresh && !this.created.has(target) ? undefined : lstatSync(target, { throwIfNoEntry: false });
    const type = header.type ?? 'file';
    if (existing && !(type === 'directory' && existing.isDirectory())) this.removePath(target);
    switch (type) {
      case 'file':
      case 'contiguous-file':
        await this.writeFile(target, header, body);
        break;
      case 'directory':
        await drain(body);
        if (!existing?.isDirectory()) {
          mkdirSync(target, { mode: 0o700 });
          this.fresh.add(target);
        }
        this.deferDirectory(target, header);
        break;
      case 'symlink':
        await drain(body);
        symlinkSync(header.linkname ?? '', target);
        this.setOwner(target, header);
        if (header.mtime) lutimesSync(target, header.mtime, header.mtime);
        break;
      case 'link':
        await drain(body);
        this.hardlink(header, target);
        break;
      case 'character-device':
      case 'block-device':
      case 'fifo':
        await drain(body);
        this.special(target, header);
        break;
      default:
        await drain(body);
        this.notes.add(`skipped tar entries of type ${type}`);
        return;
    }
    this.created.add(target);
    if (header.pax && Object.keys(header.pax).some((k) => k.startsWith('SCHILY.xattr.'))) {
      this.notes.add('extended attributes were not applied (not supported by this unpacker)');
    }
  }

  private async writeFile(target: string, header: Headers, body: Readable): Promise<void> {
    const mode = (header.mode ?? 0o644) & 0o7777;
    const fd = openSync(target, WRITE_FLAGS, mode & 0o777);
    try {
      for await (const chunk of body) writeSync(fd, chunk as Buffer);
      const [uid, gid] = [header.uid ?? 0, header.gid ?? 0];
      if (this.options.preserveOwnership && isRoot && (uid !== ownUid || gid !== ownGid)) fchownSync(fd, uid, gid);
      // Set the mode when creating could not: special bits (chown clears them too) or bits the umask took.
      if ((mode & 0o7000) !== 0 || (mode & UMASK) !== 0) fchmodSync(fd, mode);
      if (header.mtime) futimesSync(fd, header.mtime, header.mtime);
    } finally {
      closeSync(fd);
    }
  }

  private hardlink(header: Headers, target: string): void {
    let linkname: string;
    try {
      linkname = layerEntryPath(header.linkname ?? '');
    } catch {
      throw new StevedoreError(
        'UNSAFE_PATH',
        `refusing layer entry "${header.name}": its hard link target "${header.linkname}" climbs out of the root filesystem`,
      );
    }
    const source = resolveInRoot(this.root, linkname, false);
    const info = lstatSync(source, { throwIfNoEntry: false });
    if (!insideRoot(this.root, source) || !info) {
      throw new StevedoreError(
        'UNSAFE_PATH',
        `refusing layer entry "${header.name}": its hard link target "${header.linkname}" is not in the image`,
      );
    }
    if (info.isDirectory()) {
      throw new StevedoreError('UNSAFE_PATH', `refusing layer entry "${header.name}": a hard link to a directory`);
    }
    linkSync(source, target);
  }

  private special(target: string, header: Headers): void {
    if (!isRoot) {
      this.notes.add('device nodes and fifos were skipped (unpacking as non-root)');
      return;
    }
    // Root of a user namespace cannot make device nodes (mknod needs CAP_MKNOD over the host):
    // skipped, as moby and containers/storage do there; runc still gives /dev its usual devices.
    if (header.type !== 'fifo' && inUserNamespace()) {
      this.notes.add('device nodes were skipped (a user namespace cannot make them)');
      return;
    }
    const kind =
      header.type === 'fifo'
        ? ['p']
        : [header.type === 'block-device' ? 'b' : 'c', String(header.devmajor ?? 0), String(header.devminor ?? 0)];
    const mode = ((header.mode ?? 0o644) & 0o7777).toString(8);
    runTool('mknod', ['-m', mode, target, ...kind], `mknod for "${header.name}"`);
    // Never through a link: lchown and lutimes (what mknod made is no link, but nothing here follows one).
    this.setOwner(target, header);
    if (header.mtime) lutimesSync(target, header.mtime, header.mtime);
  }

  /** lchown: the owner of the entry itself, never of what a link names. */
  private setOwner(path: string, header: Headers): void {
    if (!this.options.preserveOwnership || !isRoot) return;
    lchownSync(path, header.uid ?? 0, header.gid ?? 0);
  }
}
