import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  type Stats,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { StevedoreError } from '../errors.js';
import { resolveInRoot } from '../layers/confinedPath.js';
import type { IgnoreMatcher } from './dockerfile/dockerignore.js';
import { BadPatternError, goPathPattern, hasWildcard } from './goPathMatch.js';
import { chownOnDisk, type SetOwner } from './ownersWithoutRoot.js';

/** One thing below a directory a COPY takes: where it is on the host, and its path below that directory. */
export interface SourceEntry {
  from: string;
  /** Relative to the directory named as the source, `/`-separated. */
  rel: string;
  info: Stats;
}

/** One source path (or one match of a pattern), its links followed, as BuildKit's copy takes it. */
export interface SourceMatch {
  /** The path as the source names it: its last component names a file copied into a directory. */
  name: string;
  /** Absolute path on the host, the link named as the source followed (inside the source root). */
  from: string;
  info: Stats;
  /** For a directory: what is below it, parents first (`.dockerignore` applied). */
  entries: SourceEntry[];
}

export interface CopyRequest {
  /** The context directory, or a stage's or image's root filesystem. */
  sourceRoot: string;
  /**
   * From the context: `.dockerignore` says what is left out, and which ignored directories
   * still hold files an exception (`!`) brings back.
   */
  ignore?: IgnoreMatcher;
  /** From a root filesystem, the owners carry over; from the context, everything is 0:0. */
  fromRootfs: boolean;
  sources: string[];
  inline: { name: string; content: string }[];
  /** Absolute destination in the image, WORKDIR already applied; a trailing `/` makes it a directory. */
  dest: string;
  /** --chown, resolved: set for staging only (the selection and its checksum do not need it). */
  owner?: { uid: number; gid: number };
  mode?: number;
}

/**
 * What the image has at a path (relative to `/`) before the step: `follow` resolves a final link
 * inside the image, as BuildKit's os.Stat of the destination does.
 */
export type ImageInfo = (imagePath: string, follow: boolean) => Stats | undefined;

function walk(root: string, rel: string, visit: (rel: string, info: Stats) => boolean): void {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    const info = lstatSync(join(root, path));
    if (visit(path, info) && info.isDirectory()) walk(root, path, visit);
  }
}

/** lstat, or nothing when the path does not exist (or runs through a file). */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Every path under `root`, relative, parents first. */
export function walkRelative(root: string): string[] {
  const out: string[] = [];
  walk(root, '', (rel) => {
    out.push(rel);
    return true;
  });
  return out;
}

function sourcePattern(pattern: string): RegExp {
  try {
    return goPathPattern(pattern);
  } catch (err) {
    if (err instanceof BadPatternError) throw new StevedoreError('INVALID_ARGUMENT', `invalid COPY source pattern "${pattern}"`);
    throw err;
  }
}

/**
 * What `COPY src… dest` takes, by BuildKit's rules: each source a path in the source root, its
 * links followed inside that root (a context's `link -> /etc` is the context's etc), or a pattern
 * matched with Go's filepath.Match below its literal directories; a directory's contents are
 * walked without following links. `.dockerignore` applies to the path as named and to where its
 * links lead. A pattern that matches nothing is skipped while another source matches. Returns the
 * matches and a checksum of them (paths, contents, modes, link targets, hard links, and owners
 * where they carry over) for the cache key; modification times are left out.
 */
export function selectSources(request: CopyRequest): { matches: SourceMatch[]; checksum: string } {
  const root = request.sourceRoot;
  const realPath = (from: string) => relative(root, from).split(sep).join('/');
  const ignored = (path: string) => path !== '' && (request.ignore?.ignores(path) ?? false);
  const matches: SourceMatch[] = [];
  const unmatched: string[] = [];
  /** The source at `named` (relative to the root), its final link followed; undefined if absent or ignored. */
  const take = (named: string): SourceMatch | undefined => {
    const from = resolveInRoot(root, named, true);
    const real = realPath(from);
    const info = lstatOrUndefined(from);
    if (!info || ignored(named) || ignored(real)) return undefined;
    const entries: SourceEntry[] = [];
    if (info.isDirectory()) {
      // An ignored directory is still walked when an exception re-includes something below it,
      // and made once something is (fsutil's createParentDirs), with its own metadata.
      const held = new Map<string, SourceEntry>();
      walk(from, '', (rel, entry) => {
        const full = real ? `${real}/${rel}` : rel;
        if (!request.fromRootfs && ignored(full)) {
          const walkInto = entry.isDirectory() && (request.ignore?.walkInto(full) ?? false);
          if (walkInto) held.set(rel, { from: join(from, rel), rel, info: entry });
          return walkInto;
        }
        for (let at = rel.indexOf('/'); at >= 0; at = rel.indexOf('/', at + 1)) {
          const parent = held.get(rel.slice(0, at));
          if (parent) {
            entries.push(parent);
            held.delete(parent.rel);
          }
        }
        entries.push({ from: join(from, rel), rel, info: entry });
        return true;
      });
    }
    return { name: named, from, info, entries };
  };
  for (const raw of request.sources) {
    // A relative source that climbs out of the context is refused, as docker's classic builder
    // did; an absolute one, or `..` in a stage's root filesystem, stops at the root (BuildKit).
    const relativePath = posix.normalize(raw);
    if (!request.fromRootfs && (relativePath === '..' || relativePath.startsWith('../')))
      throw new StevedoreError('INVALID_ARGUMENT', `COPY ${raw}: the source is outside the build context`);
    const pattern = posix.normalize(`/${raw}`).replace(/^\/+/, '').replace(/\/$/, '');
    const parts = pattern.split('/');
    const wild = parts.findIndex(hasWildcard);
    if (wild < 0) {
      const match = take(pattern);
      if (!match) throw notFound(pattern);
      matches.push(match);
      continue;
    }
    // fsutil's ResolveWildcards: the literal directories before the first wildcard resolved like
    // a path, then a walk below them (following no links) matching each path relative to them
    // against the rest; a matching directory is taken whole and not walked into.
    const prefix = parts.slice(0, wild).join('/');
    const base = resolveInRoot(root, prefix, true);
    const baseReal = realPath(base);
    const rest = sourcePattern(parts.slice(wild).join('/'));
    const found: SourceMatch[] = [];
    if (lstatOrUndefined(base)?.isDirectory()) {
      walk(base, '', (rel, info) => {
        const real = baseReal ? `${baseReal}/${rel}` : rel;
        if (ignored(real)) return info.isDirectory() && (request.ignore?.walkInto(real) ?? false);
        if (!rest.test(rel)) return true;
        const match = take(prefix ? `${prefix}/${rel}` : rel);
        if (match) found.push(match);
        return false;
      });
    }
    if (found.length === 0) unmatched.push(pattern);
    matches.push(...found);
  }
  if (matches.length === 0 && request.inline.length === 0 && unmatched.length > 0) throw notFound(unmatched[0]!);

  const hash = createHash('sha256');
  const inodes = new Map<string, string>();
  const add = (label: string, from: string, info: Stats) => {
    hash.update(`${label}\0${info.mode}\0`);
    // From a stage the owners carry over (unless --chown, which the step's key holds already).
    if (request.fromRootfs) hash.update(`${info.uid}:${info.gid}\0`);
    if (info.isFile() && info.nlink > 1) {
      const inode = `${info.dev}:${info.ino}`;
      const first = inodes.get(inode);
      if (first !== undefined) hash.update(`link\0${first}\0`);
      else inodes.set(inode, label);
    }
    if (info.isFile()) hash.update(readFileSync(from));
    else if (info.isSymbolicLink()) hash.update(readlinkSync(from));
    hash.update('\0');
  };
  for (const [i, match] of matches.entries()) {
    add(`${i}\0${match.name}`, match.from, match.info);
    for (const entry of match.entries) add(`${i}\0${match.name}/${entry.rel}`, entry.from, entry.info);
  }
  for (const file of request.inline) hash.update(`inline\0${file.name}\0${file.content}\0`);
  hash.update(`${request.dest}\0${request.mode ?? ''}`);
  return { matches, checksum: hash.digest('hex') };
}

function notFound(pattern: string): StevedoreError {
  return new StevedoreError(
    'NOT_FOUND',
    `COPY failed: "/${pattern}": not found (in the build context, or excluded by .dockerignore)`,
  );
}

const parentOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * Writes what the COPY takes into `staging` (a tree mirroring the image's root), as BuildKit's
 * copy (fsutil copy.go) lays it out over the image (`imageInfo`), source by source:
 * - the destination ends in `/` (`.` and `./` do too): it is made a directory first;
 * - a file or link goes into the destination when that is a directory (in the image, or made
 *   by this COPY), else it becomes the destination;
 * - a directory's contents go into the destination, which is made if it is missing;
 * - directories COPY makes (the destination's parents, the destination) are 0755 (or --chmod's
 *   mode) and owned by --chown's user, else root; those the image has are kept as they are.
 * Files keep their modes (0000 too) and times; hard links within the copy stay hard links;
 * owners are 0:0 from the context, kept from a stage, or --chown's. Returns the paths written,
 * parents first, for the layer.
 */
export function stageSelection(
  request: CopyRequest,
  matches: SourceMatch[],
  staging: string,
  imageInfo: ImageInfo,
  setOwner: SetOwner = chownOnDisk,
): string[] {
  const written = new Set<string>();
  const dirMode = request.mode ?? 0o755;
  const dirOwner = request.owner ?? { uid: 0, gid: 0 };
  const owner = (info: Stats) => request.owner ?? (request.fromRootfs ? { uid: info.uid, gid: info.gid } : { uid: 0, gid: 0 });
  const inodes = new Map<string, string>();
  // What is in `staging` already (this COPY's writes so far, or an archive ADD unpacked) is over the image.
  const staged = (path: string) => (path === '' ? lstatSync(staging) : lstatOrUndefined(join(staging, path)));
  const current = (path: string, follow: boolean): Stats | undefined => staged(path) ?? imageInfo(path, follow);
  const notADirectory = (path: string) =>
    new StevedoreError('INVALID_ARGUMENT', `COPY failed: cannot copy to "/${path}": it is not a directory in the image`);

  /** fsutil's MkdirAll: each missing directory made with the COPY's mode and owner; existing ones staged as they are. */
  const mkdirAll = (path: string) => {
    if (path === '') return;
    mkdirAll(parentOf(path));
    const here = staged(path);
    if (here) {
      if (!here.isDirectory()) throw notADirectory(path);
      written.add(path);
      return;
    }
    const target = join(staging, path);
    const existing = imageInfo(path, false);
    if (existing && !existing.isDirectory()) throw notADirectory(path);
    mkdirSync(target);
    if (existing) {
      chmodSync(target, existing.mode & 0o7777);
      setOwner(target, { uid: existing.uid, gid: existing.gid }, false);
      utimesSync(target, existing.atime, existing.mtime);
    } else {
      chmodSync(target, dirMode);
      setOwner(target, dirOwner, false);
    }
    written.add(path);
  };

  /** One file, link or directory of a source at `to`, with its metadata. */
  const put = (to: string, from: string, info: Stats) => {
    const target = join(staging, to);
    const there = current(to, false);
    if (info.isDirectory()) {
      if (there && !there.isDirectory()) throw notADirectory(to);
      if (!staged(to)) mkdirSync(target);
    } else {
      if (there?.isDirectory()) {
        throw new StevedoreError('INVALID_ARGUMENT', `COPY failed: cannot replace the directory "/${to}" with a file`);
      }
      if (staged(to)) rmSync(target);
      const inode = `${info.dev}:${info.ino}`;
      const linkedTo = info.isFile() && info.nlink > 1 ? inodes.get(inode) : undefined;
      if (linkedTo !== undefined) {
        linkSync(join(staging, linkedTo), target);
        written.add(to);
        return;
      }
      if (info.isSymbolicLink()) symlinkSync(readlinkSync(from), target);
      else if (info.isFile()) {
        copyFileSync(from, target);
        if (info.nlink > 1) inodes.set(inode, to);
      } else return; // Devices, FIFOs and sockets are not copied.
    }
    const { uid, gid } = owner(info);
    if (info.isSymbolicLink()) {
      setOwner(target, { uid, gid }, true);
      lutimesSync(target, info.atime, info.mtime);
    } else {
      setOwner(target, { uid, gid }, false);
      chmodSync(target, request.mode ?? info.mode & 0o7777);
      utimesSync(target, info.atime, info.mtime);
    }
    written.add(to);
  };

  // BuildKit's NormalizePath keeps a trailing `/` or `/.` (and makes `.` `./`): a directory.
  const destIsDir = /\/\.?$/.test(request.dest) || request.dest === '.';
  const dest = posix.normalize(`/${request.dest}`).replace(/^\/+/, '').replace(/\/$/, '');
  if (destIsDir) mkdirAll(dest);
  else mkdirAll(parentOf(dest));
  const dirTimes: { to: string; from: string; info: Stats }[] = [];
  for (const match of matches) {
    const there = current(dest, true);
    if (match.info.isDirectory()) {
      if (!there) mkdirAll(dest);
      else if (!there.isDirectory()) throw notADirectory(dest);
      else mkdirAll(dest);
      // The destination takes the source directory's time, not its mode or owner (fsutil's restoreFileTimestamp).
      if (dest !== '') dirTimes.push({ to: dest, from: match.from, info: match.info });
      for (const entry of match.entries) {
        const to = dest ? `${dest}/${entry.rel}` : entry.rel;
        put(to, entry.from, entry.info);
        if (entry.info.isDirectory()) dirTimes.push({ to, from: entry.from, info: entry.info });
      }
    } else {
      const to = there?.isDirectory() ? (dest ? `${dest}/${baseName(match.name)}` : baseName(match.name)) : dest;
      mkdirAll(parentOf(to));
      put(to, match.from, match.info);
    }
  }
  for (const file of request.inline) {
    const there = current(dest, true);
    const to = there?.isDirectory() ? (dest ? `${dest}/${file.name}` : file.name) : dest;
    mkdirAll(parentOf(to));
    const target = join(staging, to);
    if (staged(to)) rmSync(target);
    writeFileSync(target, file.content);
    setOwner(target, { uid: request.owner?.uid ?? 0, gid: request.owner?.gid ?? 0 }, false);
    chmodSync(target, request.mode ?? 0o644);
    written.add(to);
  }
  // Directories' times last: writing into them moved their mtimes.
  for (const { to, from, info } of dirTimes) utimesSync(join(staging, to), info.atime, lstatSync(from).mtime);
  return [...written].sort();
}

/**
 * `mkdir -p` in the image as BuildKit's WORKDIR does it (llb.Mkdir with parents and the stage's
 * USER): missing directories are 0755 and owned by `owner`; existing parents are staged as the
 * image has them. Returns the paths written, parents first.
 */
export function stageDirectory(
  path: string,
  owner: { uid: number; gid: number },
  staging: string,
  imageInfo: ImageInfo,
  setOwner: SetOwner = chownOnDisk,
): string[] {
  return stageSelection(
    { sourceRoot: staging, fromRootfs: false, sources: [], inline: [], dest: `${path}/`, owner },
    [],
    staging,
    imageInfo,
    setOwner,
  );
}
