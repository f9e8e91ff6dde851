import { createHash, type Hash, randomBytes } from 'node:crypto';
import {
  close,
  closeSync,
  existsSync,
  fdatasync,
  fsync,
  mkdirSync,
  open,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writev,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { type Digest, digestAlgorithm } from '../digest/digest.js';
import { checkDigest, digestOf, sizeMismatch } from '../digest/hashing.js';
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

const openFile = promisify(open);
const syncFile = promisify(fsync);
const closeFile = promisify(close);

function tempPath(layout: StoreLayout): string {
  return join(layout.ingest, `${process.pid}-${randomBytes(8).toString('hex')}`);
}

/**
 * Writes are batched: while one is in flight the next chunks gather, up to this many bytes, and
 * the source waits. With 4 MiB, a pull of 4 × 192 MiB peaked at 177 MiB against 104 MiB for
 * 4 × 48 MiB (the bytes waiting grow while an early flush holds the disk); with 1 MiB both peak
 * at ~110 MiB, in the same time (`npm run bench -- memory`).
 */
const MAX_PENDING_BYTES = 1 << 20;

/**
 * The kernel writes dirty pages back only after half a minute or once gigabytes are dirty, so a
 * large blob's closing fsync would wait for all of it. Every this many bytes written, an
 * fdatasync is started instead (not waited for): the disk works while the rest arrives, and the
 * closing fsync finds little left. At most two run at once in the process, so that writes are
 * not queued behind them in libuv's pool of four threads.
 */
const EARLY_FLUSH_BYTES = 16 << 20;
const MAX_EARLY_FLUSHES = 2;
let earlyFlushes = 0;

function prematureClose(): Error {
  return Object.assign(new Error('premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * Reads `source` to its end into the open file `fd`, hashing as bytes arrive: one pass, no
 * stream in between. Chunks that arrive while a write is in flight are written together
 * (writev); the source is paused while too many wait. Fails as soon as the size is exceeded.
 * Settles only once no write or early flush is in flight, so the caller may close the file at once.
 */
function writeHashing(
  source: Readable,
  fd: number,
  hash: Hash,
  expected: IngestExpectation,
  onProgress: ProgressListener | undefined,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let writing = false;
    let flushing = false;
    let unflushed = 0;
    let ended = false;
    let failure: { error: unknown } | undefined;
    let settled = false;

    const settle = () => {
      if (settled || writing || flushing) return;
      if (failure) {
        settled = true;
        reject(failure.error);
      } else if (ended && pending.length === 0) {
        settled = true;
        resolve(bytes);
      }
    };
    const detach = () => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('close', onClose);
    };
    const fail = (error: unknown) => {
      if (!failure && !settled) {
        failure = { error };
        pending = [];
        detach();
        source.destroy();
      }
      settle();
    };
    const flush = () => {
      if (writing) return;
      if (failure || pending.length === 0) return settle();
      const buffers = pending;
      pending = [];
      pendingBytes = 0;
      writing = true;
      writev(fd, buffers, (err, written) => {
        writing = false;
        if (err) return fail(err);
        unflushed += written;
        if (unflushed >= EARLY_FLUSH_BYTES && !flushing && earlyFlushes < MAX_EARLY_FLUSHES) startFlush();
        if (!failure && !ended && source.isPaused()) source.resume();
        flush();
      });
    };
    const startFlush = () => {
      unflushed = 0;
      flushing = true;
      earlyFlushes++;
      fdatasync(fd, (err) => {
        flushing = false;
        earlyFlushes--;
        if (err) return fail(err);
        settle();
      });
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (expected.size !== undefined && bytes > expected.size) return fail(sizeMismatch(expected, bytes));
      hash.update(chunk);
      onProgress?.(bytes);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (!writing) flush();
      else if (pendingBytes >= MAX_PENDING_BYTES) source.pause();
    };
    const onEnd = () => {
      ended = true;
      detach();
      flush();
    };
    // Destroyed before its end without an error: the bytes are not all there.
    const onClose = () => {
      if (!ended) fail(prematureClose());
    };
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('close', onClose);
    // Kept after the end too: a late error from the source is not an uncaught one.
    source.on('error', fail);
    // A source that failed while the temp file was being opened (a tar entry cut short by the
    // archive's end) will emit nothing more: waiting for its events would never end.
    if (source.destroyed && !source.readableEnded) fail(source.errored ?? prematureClose());
  });
}

function keptOnSource(): void {}

/** Folders are made when a rename finds them missing, not checked before every blob. */
function renameIntoPlace(temp: string, final: string): void {
  try {
    renameSync(temp, final);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(final), { recursive: true });
    renameSync(temp, final);
  }
}

function closeQuietly(fd: number | undefined): void {
  if (fd === undefined) return;
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to release.
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
  // Until writeHashing listens, an error the source emits (while the temp file opens) stays on
  // source.errored, where writeHashing finds it, instead of being thrown as an uncaught one.
  source.on('error', keptOnSource);
  const temp = tempPath(layout);
  const algorithm = expected.digest ? digestAlgorithm(expected.digest) : 'sha256';
  const hash = createHash(algorithm);
  let fd: number | undefined;
  try {
    fd = await openFile(temp, 'wx').catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      mkdirSync(layout.ingest, { recursive: true });
      return openFile(temp, 'wx');
    });
    const size = await writeHashing(source, fd, hash, expected, onProgress);
    const digest = `${algorithm}:${hash.digest('hex')}` as Digest;
    if (expected.size !== undefined && size !== expected.size) throw sizeMismatch(expected, size);
    checkDigest(expected, digest);
    // The one fsync: the bytes are on disk before the blob has its name.
    await syncFile(fd);
    const written = fd;
    fd = undefined;
    await closeFile(written);
    lease.add(digest);
    const final = blobPath(layout, digest);
    if (existsSync(final)) {
      rmSync(temp, { force: true });
      return { digest, size, created: false };
    }
    renameIntoPlace(temp, final);
    return { digest, size, created: true };
  } catch (err) {
    closeQuietly(fd);
    rmSync(temp, { force: true });
    // A source that failed before it was read to its end is not left flowing.
    if (!source.destroyed) source.destroy();
    throw err;
  }
}

/**
 * ingestStream for bytes in memory. Their digest is known before anything is written, so a blob
 * the store has already (a rebuilt image's config and manifest, a tag's) costs a stat, not a temp
 * file and its fsync.
 */
export async function ingestBytes(
  layout: StoreLayout,
  bytes: Uint8Array,
  expected: IngestExpectation,
  lease: Lease,
): Promise<IngestResult> {
  return ingestStream(
    layout,
    Readable.from([Buffer.from(bytes)]),
    { ...expected, digest: expected.digest ?? digestOf(bytes), size: expected.size ?? bytes.length },
    lease,
  );
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
