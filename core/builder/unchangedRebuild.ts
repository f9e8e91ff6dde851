import { type BigIntStats, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildStep } from '../api/builds.schema.js';
import { fnv1a } from '../digest/fnv1a.js';
import { writeFileAtomic } from '../system/atomicFile.js';
import { buildsDir, type StoredBuild } from './buildHistoryFile.js';
import { dockerignoreCandidates, type IgnoreMatcher, matcher, readDockerignore } from './dockerfile/dockerignore.js';

// A rebuild with nothing changed, answered without building. `stevedore build` run again with
// the same arguments, in the same directory, by the same Stevedore, on the same context, store
// and environment, would take every step from the cache and name the same image: the CLI's
// launcher shows that build again (its steps, the image, the tags) instead of loading the engine
// (core/cli/rebuildReplay.ts). What it checks is what the build read:
// - the context: every entry's type and mode, inode, size, mtime and ctime, found by walking it,
//   less what its .dockerignore leaves out. A write, chmod, chown, rename or replacement changes
//   the ctime, which no tool sets back (owners are left out: a rootless user namespace shows others);
// - the Dockerfile and the .dockerignore files, the same way (they may be outside the context);
// - the store's index (tags, base images: any change rewrites the file) and its build cache's
//   directory (an entry added or removed, a `builder prune`);
// - the environment variables the build read.
// A record is written only by a build that changed none of these from its start to its end: its
// steps all came from the cache, its tags named its image already, and nothing else changed them
// meanwhile. A context of more than MAX_LISTED_ENTRIES entries is not recorded.

/** A context with more entries is never listed: its walk would cost more than the build it saves. */
export const MAX_LISTED_ENTRIES = 5000;

/** What a replay checks, and what it shows and records again. */
export interface RebuildRecord {
  /** rebuildInvocation(): the bundle, the working directory and the arguments. */
  invocation: string;
  /** The environment variables the build read, as they were then (null: unset). */
  env: Record<string, string | null>;
  /** inputsSnapshot() at the build's start as one text (snapshotText), the same at its end. */
  inputs: string;
  /** The step events, in the order the build reported them. */
  events: BuildStep[];
  imageId: string;
  manifestDigest: string;
  /** The tags as the build printed them. */
  tags: string[];
  warnings: string[];
  /** -q: only the image ID is printed. */
  quiet: boolean;
  /** --iidfile, absolute. */
  iidfile: string | null;
  /** The build's history file as the build left it, written again under a new ID and times. */
  history: Omit<StoredBuild, 'buildId' | 'startedAt' | 'endedAt' | 'pid'>;
}

/**
 * The record of an invocation whose context had more than MAX_LISTED_ENTRIES entries to list, with
 * the header it had (inputsHeader): its builds do not walk it again until that header changes (a
 * .dockerignore that leaves more out, another Dockerfile, or the store's index or build cache).
 */
export interface TooBigRecord {
  invocation: string;
  tooBig: string;
}

/** The invocation a record answers: the CLI bundle's hash, then the working directory and the arguments. */
export function rebuildInvocation(bundleHash: string, cwd: string, args: readonly string[]): string {
  return `${bundleHash}\n${JSON.stringify([cwd, ...args])}`;
}

const recordsDir = (root: string) => join(buildsDir(root), 'unchanged');

/** `<bundle hash>-<FNV-1a of the invocation>.json`: the records of other builds of the CLI are told by name. */
function recordName(invocation: string): string {
  return `${invocation.slice(0, invocation.indexOf('\n'))}-${fnv1a(invocation)}.json`;
}

/** The record of this invocation, if one was written (a record of another that shares its name is none). */
export function readRebuildRecord(root: string, invocation: string): RebuildRecord | TooBigRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(join(recordsDir(root), recordName(invocation)), 'utf8')) as
      | RebuildRecord
      | TooBigRecord;
    return record.invocation === invocation ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes (or replaces) the record of its invocation, and removes those of other builds of the CLI,
 * which no launcher reads again. A store that cannot take it keeps none.
 */
export function writeRebuildRecord(root: string, record: RebuildRecord | TooBigRecord): void {
  const dir = recordsDir(root);
  const name = recordName(record.invocation);
  try {
    mkdirSync(dir, { recursive: true });
    const bundle = name.slice(0, name.indexOf('-') + 1);
    for (const other of readdirSync(dir)) if (!other.startsWith(bundle)) rmSync(join(dir, other), { force: true });
    writeFileAtomic(join(dir, name), JSON.stringify(record), { durable: false });
  } catch {
    // A read-only or full store: the next rebuild builds.
  }
}

/** `builder prune`: every record goes with the cache its builds took their steps from. */
export function forgetRebuildRecords(root: string): void {
  rmSync(recordsDir(root), { recursive: true, force: true });
}

/** The environment's values of `names`, null for those unset. */
export function envValues(names: readonly string[], env: NodeJS.ProcessEnv): Record<string, string | null> {
  return Object.fromEntries(names.map((name) => [name, env[name] ?? null]));
}

/**
 * An entry's identity: its type and mode, inode, size, mtime and ctime (nanoseconds); `-` when it
 * is absent. A directory's times and size change as entries come and go, ignored ones included:
 * it is its type, mode and inode, its entries listed on their own.
 */
function identity(stats: BigIntStats | undefined): string {
  if (!stats) return '-';
  if (stats.isDirectory()) return `${stats.mode.toString(8)} ${stats.ino}`;
  return `${stats.mode.toString(8)} ${stats.ino} ${stats.size} ${times(stats)}`;
}

/** mtime and ctime, nanoseconds: for a directory, whether an entry came or went. */
const times = (stats: BigIntStats | undefined) => (stats ? `${stats.mtimeNs} ${stats.ctimeNs}` : '-');

const lstat = (path: string) => lstatSync(path, { bigint: true, throwIfNoEntry: false });

/**
 * The files that decide the rest of what a build reads, as one text: the Dockerfile, the
 * .dockerignore files, the store's index and build cache, the context's directory. Cheap: a stat each.
 */
export function inputsHeader(root: string, contextDir: string, dockerfile: string): string {
  return [
    `dockerfile ${JSON.stringify(dockerfile)} ${identity(lstat(dockerfile))}`,
    ...dockerignoreCandidates(contextDir, dockerfile).map((file) => `ignore ${JSON.stringify(file)} ${identity(lstat(file))}`),
    `index ${identity(lstat(join(root, 'oci', 'index.json')))}`,
    `build-cache ${times(lstat(join(root, 'build-cache')))}`,
    `context ${identity(lstat(contextDir))}`,
  ].join('\n');
}

/** What a build reads: the header (inputsHeader) and the context's listing, absent when it has more than MAX_LISTED_ENTRIES. */
export interface InputsSnapshot {
  header: string;
  listing?: string;
  /** The latest ctime among the files listed, the Dockerfile and the .dockerignore files (nanoseconds since the epoch). */
  newestChangeNs: bigint;
}

/**
 * What a build reads now. The header is taken first: a change after it shows in the listing, or
 * in the header taken again at the end. Undefined when the context cannot be walked or its
 * .dockerignore read (a build then says why).
 */
export function inputsSnapshot(root: string, contextDir: string, dockerfile: string): InputsSnapshot | undefined {
  const header = inputsHeader(root, contextDir, dockerfile);
  const lines: string[] = [];
  let newestChangeNs = 0n;
  const changed = (stats: BigIntStats | undefined) => {
    if (stats && !stats.isDirectory() && stats.ctimeNs > newestChangeNs) newestChangeNs = stats.ctimeNs;
  };
  for (const file of [dockerfile, ...dockerignoreCandidates(contextDir, dockerfile)]) changed(lstat(file));
  // What the build leaves out of its context is left out here too: a log it ignores may change,
  // and an ignored node_modules is not walked (only where an exception may re-include a file).
  const walk = (dir: string, relative: string, ignore: IgnoreMatcher): boolean => {
    for (const name of readdirSync(dir).sort()) {
      if (lines.length >= MAX_LISTED_ENTRIES) return false;
      const path = `${relative}${name}`;
      const stats = lstat(join(dir, name));
      // JSON: a name with a newline or a space reads as one name.
      if (!ignore.ignores(path)) {
        lines.push(`${JSON.stringify(path)} ${identity(stats)}`);
        changed(stats);
      }
      if (stats?.isDirectory() && ignore.walkInto(path) && !walk(join(dir, name), `${path}/`, ignore)) return false;
    }
    return true;
  };
  try {
    return walk(contextDir, '', matcher(readDockerignore(contextDir, dockerfile)))
      ? { header, listing: lines.join('\n'), newestChangeNs }
      : { header, newestChangeNs };
  } catch {
    return undefined;
  }
}

/** The whole snapshot as one text, to compare; undefined when it has no listing. */
export function snapshotText(snapshot: InputsSnapshot | undefined): string | undefined {
  return snapshot?.listing === undefined ? undefined : `${snapshot.header}\n${snapshot.listing}`;
}

/** Whether the record's build would be the same now: its environment, its inputs, its image's blobs. */
export function stillUnchanged(record: RebuildRecord, root: string, env: NodeJS.ProcessEnv): boolean {
  for (const [name, value] of Object.entries(record.env)) if ((env[name] ?? null) !== value) return false;
  const blob = (digest: string) => join(root, 'oci', 'blobs', ...digest.split(':'));
  if (!lstat(blob(record.manifestDigest)) || !lstat(blob(record.imageId))) return false;
  const { contextDir, dockerfile } = record.history;
  // The header first: a Dockerfile edited or an image pulled since is a stat away.
  if (!record.inputs.startsWith(`${inputsHeader(root, contextDir, dockerfile)}\n`)) return false;
  return snapshotText(inputsSnapshot(root, contextDir, dockerfile)) === record.inputs;
}
