import { createWriteStream, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StevedoreError } from '../../errors.js';

/** Where a build reads its context and Dockerfile; `cleanup` removes what stdin was written to. */
export interface BuildInput {
  contextDir: string;
  /** Absolute, or (for a context from stdin) relative to the context, as `-f` names it in the tar. */
  dockerfile?: string;
  cleanup: () => void;
}

/**
 * `build CONTEXT [-f FILE]` with `-` for either, as buildx reads them (build/build.go,
 * LoadInputs): `-f -` is the Dockerfile from stdin beside a context directory; a context `-` is
 * a tar (plain, gzip, zstd, bzip2 or xz) to build from, `-f` then naming a file in it, or else a
 * Dockerfile with an empty context. What stdin gives is written to a private temporary directory
 * and a tar unpacked there as ADD unpacks one (each entry kept inside it).
 */
export async function buildInput(context: string, file: string | undefined, given?: Readable): Promise<BuildInput> {
  if (context !== '-' && file !== '-') {
    return { contextDir: resolve(context), ...(file !== undefined ? { dockerfile: resolve(file) } : {}), cleanup: () => {} };
  }
  if (context === '-' && file === '-') {
    throw new StevedoreError('INVALID_ARGUMENT', "invalid argument: can't use stdin for both build context and dockerfile");
  }
  // Read only here: process.stdin, once asked for, opens a stream (and loads Node's file streams
  // and promises, ~5 ms) even in a build that never reads it.
  const stdin = given ?? process.stdin;
  const tmp = mkdtempSync(join(tmpdir(), 'stevedore-build-'));
  const cleanup = () => rmSync(tmp, { recursive: true, force: true });
  try {
    // Named Dockerfile, so that no `<name>.dockerignore` beside it is looked for in its place.
    const dockerfile = join(tmp, 'Dockerfile');
    if (file === '-') {
      await pipeline(stdin, createWriteStream(dockerfile, { mode: 0o600 }));
      return { contextDir: resolve(context), dockerfile, cleanup };
    }
    const raw = join(tmp, 'stdin');
    await pipeline(stdin, createWriteStream(raw, { mode: 0o600 }));
    const contextDir = join(tmp, 'context');
    // Loaded here: the decompressors cost start-up that other builds do not need.
    const { archiveKind, extractArchive } = await import('../../builder/addArchive.js');
    const kind = await archiveKind(raw);
    if (kind !== undefined) {
      await extractArchive(raw, kind, contextDir);
      rmSync(raw);
      return { contextDir, ...(file !== undefined ? { dockerfile: file } : {}), cleanup };
    }
    if (file !== undefined) {
      throw new StevedoreError('INVALID_ARGUMENT', 'ambiguous Dockerfile source: both stdin and flag correspond to Dockerfiles');
    }
    renameSync(raw, dockerfile);
    mkdirSync(contextDir);
    return { contextDir, dockerfile, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
