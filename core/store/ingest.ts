import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Digest } from '../digest/digest.js';
import { DigestingStream } from '../digest/hashing.js';
import { blobPath, type StoreLayout } from './layout.js';
import type { Lease } from './lease.js';
import { isProcessAlive, ownerPid } from './processLiveness.js';

export interface IngestExpectation {
  digest?: Digest;
  size?: number;
  /** How the blob is named in errors ("layer 2 of busybox:latest"). */
  what?: string;
}

export interface IngestResult {
  digest: Digest;
  size: number;
  /** False when the store already held the blob (dedupe). */
  created: boolean;
}

export type ProgressListener = (bytesDone: number) => void;

function tempPath(layout: StoreLayout): string {
  return join(layout.ingest, `${process.pid}-${randomBytes(8).toString('hex')}`);
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a blob the only safe way: to a temp file in the store while hashing, then size and
 * digest are checked, the file is fsynced and renamed into place. Readers never see a partial
 * blob; two writers of the same blob both succeed, since the rename of identical bytes is atomic.
 */
export async function ingestStream(
  layout: StoreLayout,
  source: Readable,
  expected: IngestExpectation,
  lease: Lease,
  onProgress?: ProgressListener,
): Promise<IngestResult> {
  if (expected.digest) {
    lease.add(expected.digest);
    const present = statSync(blobPath(layout, expected.digest), { throwIfNoEntry: false });
    if (present && (expected.size === undefined || present.size === expected.size)) {
      // Drained rather than destroyed: a tar entry must be read to its end for the next to come.
      source.resume();
      return { digest: expected.digest, size: present.size, created: false };
    }
  }
  mkdirSync(layout.ingest, { recursive: true });
  const temp = tempPath(layout);
  const hasher = new DigestingStream(expected, onProgress);
  try {
    await pipeline(source, hasher, createWriteStream(temp, { highWaterMark: 1 << 20 }));
    await fsyncFile(temp);
    const digest = hasher.digest;
    lease.add(digest);
    const final = blobPath(layout, digest);
    if (existsSync(final)) {
      rmSync(temp, { force: true });
      return { digest, size: hasher.size, created: false };
    }
    mkdirSync(dirname(final), { recursive: true });
    renameSync(temp, final);
    return { digest, size: hasher.size, created: true };
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

export async function ingestBytes(
  layout: StoreLayout,
  bytes: Uint8Array,
  expected: IngestExpectation,
  lease: Lease,
): Promise<IngestResult> {
  return ingestStream(layout, Readable.from([Buffer.from(bytes)]), { ...expected, size: expected.size ?? bytes.length }, lease);
}

/** Removes temp files whose writer is gone (a crash or kill -9 mid-ingest). */
export function removeAbandonedTempFiles(layout: StoreLayout): string[] {
  let names: string[];
  try {
    names = readdirSync(layout.ingest);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (isProcessAlive(ownerPid(name))) continue;
    rmSync(join(layout.ingest, name), { force: true, recursive: true });
    removed.push(name);
  }
  return removed;
}
