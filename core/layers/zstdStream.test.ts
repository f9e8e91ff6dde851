import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { isStevedoreError } from '../errors.js';
import { MAX_ZSTD_WINDOW, ZstdInflater, zstdStream } from './zstdStream.js';

function zstdCli(data: Buffer, args: string[] = []): Buffer {
  const r = spawnSync('zstd', ['-q', '-c', ...args], { input: data, maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, String(r.stderr));
  return r.stdout;
}

const blockHeader = (type: number, size: number, last: boolean) => {
  const h = Buffer.alloc(3);
  h.writeUIntLE((size << 3) | (type << 1) | (last ? 1 : 0), 0, 3);
  return h;
};
/** A frame with no content size, no checksum, a window of 2^windowLog, and these blocks. */
const frame = (windowLog: number, ...blocks: Buffer[]) =>
  Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (windowLog - 10) << 3]), ...blocks]);
const rle = (size: number, last: boolean, byte = 0) => Buffer.concat([blockHeader(1, size, last), Buffer.from([byte])]);

/** Everything a stream gives, its input cut in `slice`-byte pieces. */
async function inflateAll(input: Buffer, slice = 64 * 1024): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < input.length; at += slice) pieces.push(input.subarray(at, at + slice));
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(pieces).pipe(zstdStream('layer 1'))) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

describe('zstd decoded a block at a time', () => {
  it('gives back what the zstd command compressed: several frames, checksums, skippable frames, any slicing', async () => {
    const a = Buffer.concat([randomBytes(300_000), Buffer.alloc(500_000, 7), Buffer.from('tail')]);
    const b = Buffer.from('second frame');
    const skippable = Buffer.concat([Buffer.from([0x53, 0x2a, 0x4d, 0x18, 5, 0, 0, 0]), Buffer.from('hello')]);
    const input = Buffer.concat([zstdCli(a, ['--check']), skippable, zstdCli(b, ['--no-check', '-19'])]);
    for (const slice of [3, 4096, 1 << 20]) {
      assert.ok((await inflateAll(input, slice)).equals(Buffer.concat([a, b])), `sliced by ${slice}`);
    }
  });

  it('hands out no more than a block per step, however small the input', () => {
    // 40 kB of RLE blocks: 1.3 GB if decoded in one go.
    const bomb = frame(17, ...Array.from({ length: 10_000 }, (_, i) => rle(128 * 1024, i === 9_999)));
    const inflater = new ZstdInflater('layer 1');
    let steps = 0;
    for (const out of inflater.push(bomb)) {
      assert.ok(out.length <= 128 * 1024, `a step gave ${out.length} bytes`);
      if (++steps === 50) break;
    }
    assert.equal(steps, 50);
  });

  const refused: [string, Buffer, RegExp][] = [
    [
      "an RLE block past the format's 128 KiB (fzstd took 2 MiB)",
      frame(27, rle(2 * 1024 * 1024 - 1, true)),
      /a block of 2097151 bytes/,
    ],
    ['a block larger than its window', frame(10, rle(2048, true)), /a block of 2048 bytes, past the format's 1024/],
    ['a block of the reserved type', frame(17, blockHeader(3, 1, true), Buffer.from([0])), /reserved type/],
    [
      'a frame asking for a 2 GiB window',
      frame(31, rle(16, true)),
      new RegExp(`window of 2147483648 bytes, past the ${MAX_ZSTD_WINDOW}`),
    ],
    ['a stream cut inside a frame', frame(17, rle(16, false)), /ends in the middle of a frame/],
    ['bytes that are no zstd frame', Buffer.from('not zstd at all'), /not a zstd frame/],
  ];
  for (const [name, input, why] of refused) {
    it(`refuses ${name}, in one sentence naming the layer`, async () => {
      await assert.rejects(inflateAll(input), (err: Error) => {
        assert.ok(isStevedoreError(err), String(err));
        assert.match(err.message, /^layer 1 /);
        assert.match(err.message, why);
        return true;
      });
    });
  }
});
