import {
  chmodSync,
  copyFileSync,
  lchownSync,
  linkSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  rmSync,
  type Stats,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceMatch } from './copySources.js';
import type { IgnoreMatcher } from './dockerfile/dockerignore.js';

/** What a bind mount from the build context shows, and how to take it away after the step. */
export interface ContextBindSource {
  path: string;
  release: () => Promise<void>;
}

/**
 * What a RUN's bind mount from the build context shows the step: `match`, its source as COPY
 * selects it (bindMountKey.ts), `.dockerignore` applied, as BuildKit's context holds only what the client sent. Where the file
 * leaves nothing out below the source, that is the source itself. Otherwise `scratch` receives the
 * tree of what it keeps: directories made with their modes, owners and times, files hard-linked
 * (copied where the context is on another filesystem), links made again. A step that writes to it
 * (`rw`) writes to an overlay over it (throwAwayMount.ts), never through a link to the context.
 */
export function contextBindSource(
  contextDir: string,
  match: SourceMatch,
  ignore: IgnoreMatcher,
  scratch: string,
): ContextBindSource {
  const real = relative(contextDir, match.from).split(sep).join('/');
  if (!match.info.isDirectory() || !leavesOut(match.from, real, ignore)) {
    return { path: match.from, release: async () => undefined };
  }
  try {
    mkdirSync(scratch, { mode: 0o700 });
    const tree = join(scratch, 'tree');
    mkdirSync(tree);
    const directories: { path: string; info: Stats }[] = [{ path: tree, info: match.info }];
    for (const { from, rel, info } of match.entries) {
      const to = join(tree, rel);
      if (info.isDirectory()) {
        mkdirSync(to);
        directories.push({ path: to, info });
      } else if (info.isSymbolicLink()) {
        symlinkSync(readlinkSync(from), to);
        keepOwner(to, info);
        lutimesSync(to, info.atime, info.mtime);
      } else if (info.isFile() && !linked(from, to)) {
        copyFileSync(from, to);
        keepOwner(to, info);
        chmodSync(to, info.mode & 0o7777);
        utimesSync(to, info.atime, info.mtime);
      }
      // Devices, FIFOs and sockets: not in a context sent to BuildKit either.
    }
    // Last, deepest first: making what is inside a directory moved its times.
    for (const { path, info } of directories.reverse()) {
      keepOwner(path, info);
      chmodSync(path, info.mode & 0o7777);
      utimesSync(path, info.atime, info.mtime);
    }
    return { path: tree, release: async () => rmSync(scratch, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
}

/** Whether `.dockerignore` leaves out anything below `dir` (`real`: its path in the context); stops at the first. */
function leavesOut(dir: string, real: string, ignore: IgnoreMatcher): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = real ? `${real}/${entry.name}` : entry.name;
    if (ignore.ignores(path)) return true;
    if (entry.isDirectory() && leavesOut(join(dir, entry.name), path, ignore)) return true;
  }
  return false;
}

/**
 * The same file at `to` by a hard link (its inode, owner, mode and times); false where the
 * context is on another filesystem, or the kernel refuses linking another user's file.
 */
function linked(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EXDEV' || code === 'EPERM') return false;
    throw err;
  }
}

/** The source's owner where this process may give it (a user namespace maps only some IDs). */
function keepOwner(path: string, info: Stats): void {
  try {
    lchownSync(path, info.uid, info.gid);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM') throw err;
  }
}
