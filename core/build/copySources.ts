import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  type Stats,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, posix, relative, sep } from 'node:path';
import { StevedoreError } from '../errors.js';
import { resolveInRoot } from '../layers/confinedPath.js';
import type { IgnoreMatcher } from './dockerfile/dockerignore.js';
import { compileIgnorePattern, IgnorePatternError } from './dockerfile/ignorePattern.js';

/** One file or directory a COPY takes, where it comes from and where it goes in the image. */
export interface SelectedSource {
  /** Absolute path on the host (in the context, or in a stage's root filesystem). */
  from: string;
  /** Path in the image, relative to `/`. */
  to: string;
  info: Stats;
}

export interface CopyRequest {
  /** The context directory, or a stage's or image's root filesystem. */
  sourceRoot: string;
  /**
   * From the context: `.dockerignore` says what is left out, and which ignored directories
   * still hold files an exception (`!`) brings back.
   */
  ignore?: IgnoreMatcher;
  /** From a root filesystem, links in the source paths are followed inside it. */
  fromRootfs: boolean;
  sources: string[];
  inline: { name: string; content: string }[];
  /** Absolute destination in the image, WORKDIR already applied. */
  dest: string;
  /** --chown, resolved: set for staging only (the selection and its checksum do not need it). */
  owner?: { uid: number; gid: number };
  mode?: number;
}

const WILDCARD = /[*?[]/;

/** A COPY source pattern: Go's filepath.Match syntax with `**`, as .dockerignore patterns have it. */
function sourcePattern(pattern: string): (path: string) => boolean {
  try {
    const compiled = compileIgnorePattern(pattern);
    if (compiled) return (path) => compiled.matches(path);
  } catch (err) {
    if (!(err instanceof IgnorePatternError)) throw err;
  }
  throw new StevedoreError('INVALID_ARGUMENT', `invalid COPY source pattern "${pattern}"`);
}

function walk(root: string, rel: string, visit: (rel: string, info: Stats) => boolean): void {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    const info = lstatSync(join(root, path));
    if (visit(path, info) && info.isDirectory()) walk(root, path, visit);
  }
}

/** lstat, or nothing when the path does not exist (or runs through a file). */
function lstatOrUndefined(path: string): Stats | undefined {
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

/**
 * What `COPY src… dest` takes, by Docker's rules: each source a path or a pattern in the source
 * root (a directory copies its contents, a file goes into `dest` when `dest` ends in `/` or when
 * there are several sources, else becomes `dest`), with `.dockerignore` applied. Returns the
 * selection and a checksum of it (paths, contents, modes, link targets, and owners where they
 * carry over) for the cache key; modification times are left out, as the issue asks.
 */
export function selectSources(request: CopyRequest): { selected: SelectedSource[]; checksum: string; intoDir: boolean } {
  const hash = createHash('sha256');
  const root = request.sourceRoot;
  // Path in the source root, with every link met on the way re-rooted at it (a context's
  // `link -> /etc` is the context's etc, as Docker has it), so nothing outside is ever read.
  const realPath = (from: string) => relative(root, from).split(sep).join('/');
  const ignored = (path: string) => path !== '' && (request.ignore?.ignores(path) ?? false);
  // `name`: the path as the source names it (its basename names the copy); `real`: where it is.
  const matches: { from: string; name: string; real: string; info: Stats }[] = [];
  for (const raw of request.sources) {
    // A relative source that climbs out of the context is refused, as docker's classic builder
    // did; an absolute one, or `..` in a stage's root filesystem, stops at the root (BuildKit).
    const relativePath = posix.normalize(raw);
    if (!request.fromRootfs && (relativePath === '..' || relativePath.startsWith('../')))
      throw new StevedoreError('INVALID_ARGUMENT', `COPY ${raw}: the source is outside the build context`);
    const pattern = posix.normalize(`/${raw}`).replace(/^\/+/, '').replace(/\/$/, '');
    const found: { from: string; name: string; real: string; info: Stats }[] = [];
    if (!WILDCARD.test(pattern)) {
      // From a stage the source itself is followed too; from the context a link named as the
      // source is copied as the link it is.
      const from = resolveInRoot(root, pattern, request.fromRootfs);
      const real = realPath(from);
      const info = lstatOrUndefined(from);
      // .dockerignore applies both to the path as named and to where its links lead.
      if (info && !ignored(pattern) && !ignored(real)) found.push({ from, name: pattern, real, info });
    } else {
      // The literal directories before the first wildcard are resolved like a path (links
      // re-rooted), the rest matched walking below them; the walk itself follows no links.
      const parts = pattern.split('/');
      const literal = parts.findIndex((part) => WILDCARD.test(part) || part.includes('\\'));
      const prefix = parts.slice(0, literal).join('/');
      const base = resolveInRoot(root, prefix, true);
      const baseReal = realPath(base);
      const matches = sourcePattern(pattern);
      const named = (real: string) => {
        const below = baseReal ? real.slice(baseReal.length + 1) : real;
        return prefix ? `${prefix}/${below}` : below;
      };
      if (lstatOrUndefined(base)?.isDirectory()) {
        walk(root, baseReal, (real, info) => {
          if (ignored(real)) return info.isDirectory() && (request.ignore?.walkInto(real) ?? false);
          const name = named(real);
          // Reached through a link: the link (as named) must not be left out either.
          if (matches(name) && (name === real || !ignored(name))) found.push({ from: join(root, real), name, real, info });
          return true;
        });
      }
    }
    if (found.length === 0) {
      throw new StevedoreError(
        'NOT_FOUND',
        `COPY failed: "/${pattern}": not found (in the build context, or excluded by .dockerignore)`,
      );
    }
    matches.push(...found);
  }
  const count = matches.length + request.inline.length;
  const intoDir = request.dest.endsWith('/') || count > 1 || matches.some((m) => m.info.isDirectory());
  const dest = posix.normalize(request.dest).replace(/^\/+/, '').replace(/\/$/, '');
  const selected: SelectedSource[] = [];
  const add = (from: string, to: string, info: Stats) => {
    selected.push({ from, to, info });
    hash.update(`${to}\0${info.mode}\0`);
    // From a stage the owners carry over (unless --chown, which the step's key holds already).
    if (request.fromRootfs) hash.update(`${info.uid}:${info.gid}\0`);
    if (info.isFile()) hash.update(readFileSync(from));
    else if (info.isSymbolicLink()) hash.update(readlinkSync(from));
    hash.update('\0');
  };
  for (const match of matches) {
    if (!match.info.isDirectory()) {
      add(match.from, intoDir ? posix.join(dest, basename(match.name)) : dest, match.info);
      continue;
    }
    walk(match.from, '', (rel, info) => {
      const full = match.real ? `${match.real}/${rel}` : rel;
      if (!request.fromRootfs && ignored(full)) {
        // An ignored directory is still walked when an exception re-includes something below it.
        return info.isDirectory() && (request.ignore?.walkInto(full) ?? false);
      }
      add(join(match.from, rel), posix.join(dest, rel), info);
      return true;
    });
  }
  for (const file of request.inline) hash.update(`inline\0${file.name}\0${file.content}\0`);
  hash.update(`${request.dest}\0${request.mode ?? ''}`);
  return { selected, checksum: hash.digest('hex'), intoDir };
}

/**
 * Writes the selection into `staging` (a tree mirroring the image's root), owners and modes as
 * Docker sets them (0:0 from the context, kept from a stage, or --chown; --chmod over the mode),
 * times kept. Destination parents are created as the image has them (`parentInfo`), else root's
 * 0755. Returns the paths written, parents first, for the layer.
 */
export function stageSelection(
  request: CopyRequest,
  selected: SelectedSource[],
  staging: string,
  parentInfo: (imagePath: string) => Stats | undefined,
  intoDir = true,
): string[] {
  const written = new Set<string>();
  const ensureParents = (imagePath: string) => {
    const parts = imagePath.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const path = parts.slice(0, i).join('/');
      if (written.has(path)) continue;
      const target = join(staging, path);
      mkdirSync(target, { recursive: true });
      const existing = parentInfo(path);
      if (existing?.isDirectory()) {
        chmodSync(target, existing.mode & 0o7777);
        chownSync(target, existing.uid, existing.gid);
        utimesSync(target, existing.atime, existing.mtime);
      } else {
        chmodSync(target, 0o755);
        chownSync(target, 0, 0);
      }
      written.add(path);
    }
  };
  const owner = (info: Stats) => request.owner ?? (request.fromRootfs ? { uid: info.uid, gid: info.gid } : { uid: 0, gid: 0 });
  for (const { from, to, info } of selected) {
    ensureParents(to);
    const target = join(staging, to);
    if (info.isDirectory()) mkdirSync(target, { recursive: true });
    else if (info.isSymbolicLink()) symlinkSync(readlinkSync(from), target);
    else if (info.isFile()) copyFileSync(from, target);
    else continue;
    const { uid, gid } = owner(info);
    if (!info.isSymbolicLink()) {
      chownSync(target, uid, gid);
      chmodSync(target, request.mode ?? info.mode & 0o7777);
      utimesSync(target, info.atime, info.mtime);
    }
    written.add(to);
  }
  const dest = posix.normalize(request.dest).replace(/^\/+/, '').replace(/\/$/, '');
  for (const file of request.inline) {
    const to = intoDir ? posix.join(dest, file.name) : dest;
    ensureParents(to);
    writeFileSync(join(staging, to), file.content);
    chownSync(join(staging, to), request.owner?.uid ?? 0, request.owner?.gid ?? 0);
    chmodSync(join(staging, to), request.mode ?? 0o644);
    written.add(to);
  }
  // Directories' times last: writing into them moved their mtimes.
  for (const { from, to, info } of selected)
    if (info.isDirectory()) utimesSync(join(staging, to), info.atime, lstatSync(from).mtime);
  return [...written].sort();
}
