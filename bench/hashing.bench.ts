import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Digest } from '../core/digest/digest.js';
import { DigestingStream } from '../core/digest/hashing.js';
import { ingestStream } from '../core/store/ingest.js';
import { Store } from '../core/store/store.js';
import { type Benchmark, checkRatio, formatMs, throughput } from './benchmark.js';
import { runProgram, timeInterleaved } from './timing.js';

const FILE_BYTES = 256 * 1024 * 1024;
/** What the store reads blobs with (core/archive/blobSource.ts, core/store/store.ts). */
const STORE_READ_CHUNK = 1 << 20;
const TARGET_RATIO = 1.0;

function writeRandomFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let done = 0; done < bytes; done += STORE_READ_CHUNK)
      writeSync(fd, randomBytes(Math.min(STORE_READ_CHUNK, bytes - done)));
  } finally {
    closeSync(fd);
  }
}

/** Hashes a file the way an ingest does, but throws the bytes away instead of writing them. */
async function digestThroughStream(path: string): Promise<Digest> {
  const hasher = new DigestingStream();
  const discard = new Writable({ write: (_chunk, _enc, done) => done() });
  await pipeline(createReadStream(path, { highWaterMark: STORE_READ_CHUNK }), hasher, discard);
  return hasher.digest;
}

/**
 * Stevedore's hashing path (DigestingStream over a 1 MiB-chunk read stream) vs `sha256sum` on the
 * same file; then, for context, the full ingest (hash + temp file + fsync + rename) and the floor
 * for its writing half, `dd conv=fsync`.
 */
export const hashingBenchmark: Benchmark = {
  name: 'hashing',
  title: `hashing: sha256 of a ${FILE_BYTES >> 20} MiB file, DigestingStream vs sha256sum`,
  async run(workDir, log) {
    const file = join(workDir, 'random.bin');
    writeRandomFile(file, FILE_BYTES);
    const copy = join(workDir, 'copy.bin');
    const store = Store.open(join(workDir, 'store'));
    const lease = store.newLease();
    const digests = new Map<string, string>();
    const agree = (who: string, digest: string) => {
      const first = digests.values().next().value;
      if (first !== undefined && first !== digest) throw new Error(`${who} computed ${digest}, others ${first}`);
      digests.set(who, digest);
    };

    const timings = await timeInterleaved(
      [
        {
          label: 'sha256sum',
          run: () => agree('sha256sum', `sha256:${runProgram('sha256sum', [file]).split(' ')[0]}`),
        },
        {
          label: 'DigestingStream',
          run: async () => agree('DigestingStream', await digestThroughStream(file)),
        },
        {
          label: 'ingest into a store',
          run: async () => {
            const result = await ingestStream(
              store.layout,
              createReadStream(file, { highWaterMark: STORE_READ_CHUNK }),
              {},
              lease,
            );
            if (!result.created) throw new Error('the ingest found the blob already present; the run did not write it');
            agree('ingest', result.digest);
          },
          cleanUp: () => {
            const digest = digests.get('ingest');
            if (digest) store.removeBlob(digest as Digest);
          },
        },
        {
          label: 'dd conv=fsync',
          run: () => void runProgram('dd', [`if=${file}`, `of=${copy}`, 'bs=1M', 'conv=fsync', 'status=none']),
          cleanUp: () => rmSync(copy, { force: true }),
        },
      ],
      { warmups: 1, repeats: 5 },
    );
    lease.release();
    for (const [label, t] of timings) {
      log(
        `${label.padEnd(20)} median ${formatMs(t.medianMs)} (${throughput(FILE_BYTES, t.medianMs)}), best ${formatMs(t.bestMs)}`,
      );
    }
    const sha256sum = timings.get('sha256sum')!.medianMs;
    const ingest = timings.get('ingest into a store')!.medianMs;
    const dd = timings.get('dd conv=fsync')!.medianMs;
    return {
      name: this.name,
      timings: Object.fromEntries(timings),
      checks: [
        checkRatio(
          'hash time, DigestingStream / sha256sum',
          timings.get('DigestingStream')!,
          timings.get('sha256sum')!,
          TARGET_RATIO,
        ),
      ],
      notes: [
        `${FILE_BYTES} bytes from the page cache; DigestingStream and ingest run in this process, sha256sum and dd as processes`,
        `full ingest (hash + write + fsync + rename) ${formatMs(ingest)}: ${(ingest / sha256sum).toFixed(2)} × sha256sum, ${(ingest / dd).toFixed(2)} × dd conv=fsync (${formatMs(dd)}, copy + fsync without hashing)`,
      ],
    };
  },
};
