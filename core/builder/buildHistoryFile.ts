import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildDetail } from '../api/builds.schema.js';
import { writeFileAtomic } from '../system/atomicFile.js';

/** One build as `<root>/builds/<id>.json` holds it: its detail without the output, and the process that runs it. */
export type StoredBuild = Omit<BuildDetail, 'output'> & { pid: number };

/** Where a store keeps its builds (BuildHistory). */
export function buildsDir(root: string): string {
  return join(root, 'builds');
}

/**
 * A new build's ID: 16 hex digits. It names files and must only differ from the others, so
 * Math.random serves: node:crypto would be ~5 ms more of a replayed rebuild (unchangedRebuild.ts),
 * which loads nothing else of it.
 */
export function newBuildId(): string {
  const word = () =>
    Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return `${word()}${word()}`;
}

/**
 * Writes a build's file whole (a temporary file named after the build and this process, then a
 * rename), so readers see the old record or the new one. Not fsynced: history, not content.
 */
export function writeBuildFile(dir: string, build: StoredBuild): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, `${build.buildId}.json`), JSON.stringify(build), { durable: false });
}
