import { Duplex } from 'node:stream';
import { Decompress } from 'fzstd';
import { StevedoreError } from '../errors.js';

// zstd through fzstd (Node 20's zlib has no zstd), fed one block at a time. fzstd decodes every
// block of whatever it is given at once, and does not bound a block's size: 4 bytes of input can
// be an RLE block of 2 MiB, so a 40 KB layer became 1.35 GB in one push. Here the frame and block
// headers (RFC 8878 section 3.1) are read first, each block is checked against the format's
// limits, and fzstd gets one block per push, so output comes a block (at most 128 KiB) at a time
// and waits for whoever reads it.

/**
 * The largest window a frame may ask for: zstd's own default decoder limit
 * (ZSTD_WINDOWLOG_LIMIT_DEFAULT, windowLog 27), past which `zstd -d` too refuses without
 * --memory. fzstd allocates the whole window up front and touches all of it for every block.
 */
export const MAX_ZSTD_WINDOW = 2 ** 27;
/** RFC 8878 3.1.1.2.4: Block_Maximum_Size is min(Window_Size, 128 KiB). */
const MAX_BLOCK = 128 * 1024;
const FRAME_MAGIC = 0xfd2fb528;
/** RFC 8878 3.1.2: skippable frames' magic numbers are 0x184D2A50 to 0x184D2A5F. */
const isSkippable = (magic: number) => magic >>> 4 === 0x184d2a5;
const DICTIONARY_ID_BYTES = [0, 1, 2, 4];

type State = 'frame' | 'block' | 'checksum' | 'skip';

/** A zstd stream decompressed a block at a time: `push` yields what each whole block gives. */
export class ZstdInflater {
  private readonly queue = new ByteQueue();
  private state: State = 'frame';
  private skipping = 0;
  private hasChecksum = false;
  private maxBlock = 0;
  private output: Uint8Array[] = [];
  private readonly fzstd = new Decompress((chunk) => {
    if (chunk.length > 0) this.output.push(chunk);
  });

  /** `what` names the stream in errors ("layer 1 of x:y"). */
  constructor(private readonly what: string) {}

  *push(chunk: Uint8Array): Generator<Buffer> {
    this.queue.add(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    for (;;) {
      if (this.state === 'skip') {
        this.skipping -= this.queue.drop(this.skipping);
        if (this.skipping > 0) return;
        this.state = 'frame';
      }
      const size = this.unitSize();
      if (size === undefined || this.queue.length < size) return;
      const unit = this.queue.take(size);
      if (this.advance(unit)) yield* this.inflate(unit, false);
    }
  }

  /** The end of the input: it must end between frames. */
  *end(): Generator<Buffer> {
    if (this.state !== 'frame' || this.queue.length > 0) throw this.damaged('it ends in the middle of a frame');
    yield* this.inflate(new Uint8Array(0), true);
  }

  /** How many bytes the next unit (frame header, block, checksum) takes; undefined until that is known. */
  private unitSize(): number | undefined {
    // Frame and block headers are at most 18 bytes: what is looked at, never a whole block.
    const p = this.queue.head(18);
    switch (this.state) {
      case 'frame': {
        if (p.length < 4) return undefined;
        const magic = p.readUInt32LE(0);
        if (isSkippable(magic)) return 8;
        if (magic !== FRAME_MAGIC) throw this.damaged('not a zstd frame');
        if (p.length < 5) return undefined;
        const descriptor = p[4]!;
        const singleSegment = (descriptor >> 5) & 1;
        const contentSizeFlag = descriptor >> 6;
        const contentSizeBytes = contentSizeFlag === 0 ? singleSegment : 1 << contentSizeFlag;
        return 5 + (singleSegment ? 0 : 1) + DICTIONARY_ID_BYTES[descriptor & 3]! + contentSizeBytes;
      }
      case 'block': {
        if (p.length < 3) return undefined;
        const header = p.readUIntLE(0, 3);
        const [type, size] = [(header >> 1) & 3, header >>> 3];
        if (type === 3) throw this.damaged('a block of the reserved type');
        if (size > this.maxBlock) throw this.damaged(`a block of ${size} bytes, past the format's ${this.maxBlock}`);
        return 3 + (type === 1 ? 1 : size);
      }
      case 'checksum':
        return 4;
      default:
        return undefined;
    }
  }

  /** Moves past `unit`; whether fzstd is to see it (skippable frames it is not). */
  private advance(unit: Buffer): boolean {
    switch (this.state) {
      case 'frame': {
        if (isSkippable(unit.readUInt32LE(0))) {
          this.skipping = unit.readUInt32LE(4);
          this.state = 'skip';
          return false;
        }
        const descriptor = unit[4]!;
        if (descriptor & 8) throw this.damaged('a frame header with the reserved bit set');
        const window = this.windowSize(unit, descriptor);
        if (window > MAX_ZSTD_WINDOW) {
          throw new StevedoreError(
            'INVALID_ARCHIVE',
            `${this.what} asks for a zstd window of ${window} bytes, past the ${MAX_ZSTD_WINDOW} a decoder allows (zstd's own default limit)`,
          );
        }
        this.maxBlock = Math.min(window, MAX_BLOCK);
        this.hasChecksum = ((descriptor >> 2) & 1) === 1;
        this.state = 'block';
        return true;
      }
      case 'block':
        if (unit[0]! & 1) this.state = this.hasChecksum ? 'checksum' : 'frame';
        return true;
      default:
        this.state = 'frame';
        return true;
    }
  }

  /** RFC 8878 3.1.1.1.2: from the window descriptor, or the content size in a single-segment frame. */
  private windowSize(header: Buffer, descriptor: number): number {
    const singleSegment = (descriptor >> 5) & 1;
    if (!singleSegment) {
      const wd = header[5]!;
      const base = 2 ** (10 + (wd >> 3));
      return base + (base / 8) * (wd & 7);
    }
    const at = 5 + DICTIONARY_ID_BYTES[descriptor & 3]!;
    switch (descriptor >> 6) {
      case 0:
        return header[at]!;
      case 1:
        return header.readUInt16LE(at) + 256;
      case 2:
        return header.readUInt32LE(at);
      default:
        return Number(header.readBigUInt64LE(at));
    }
  }

  private *inflate(unit: Uint8Array, final: boolean): Generator<Buffer> {
    try {
      this.fzstd.push(unit, final);
    } catch (err) {
      throw this.damaged((err as Error).message);
    }
    const out = this.output;
    this.output = [];
    for (const chunk of out) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }

  private damaged(why: string): StevedoreError {
    return new StevedoreError('INVALID_ARCHIVE', `${this.what} is damaged or truncated (zstd: ${why})`);
  }
}

/**
 * A zstd stream as a Duplex whose output waits for its reader: the next block is decoded only
 * when the one before has been taken, so memory stays flat whatever the ratio.
 */
export function zstdStream(what: string): Duplex {
  return Duplex.from(async function* (source: AsyncIterable<Buffer>) {
    const inflater = new ZstdInflater(what);
    for await (const chunk of source) yield* inflater.push(chunk);
    yield* inflater.end();
  });
}

/** Input not yet decoded: chunks joined only when a whole unit is there, so that byte-sized input costs no more than large. */
class ByteQueue {
  private chunks: Buffer[] = [];
  length = 0;

  add(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Up to `n` bytes from the front, left in the queue (only the front chunks joined, up to `n`). */
  head(n: number): Buffer {
    while (this.chunks.length > 1 && this.chunks[0]!.length < n) {
      this.chunks.splice(0, 2, Buffer.concat([this.chunks[0]!, this.chunks[1]!]));
    }
    return this.chunks[0]?.subarray(0, n) ?? Buffer.alloc(0);
  }

  /** Exactly `n` bytes from the front (there must be that many). */
  take(n: number): Buffer {
    let first = this.chunks[0]!;
    if (first.length < n) {
      first = Buffer.concat(this.chunks, this.length);
      this.chunks = [first];
    }
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.length -= n;
    return first.subarray(0, n);
  }

  /** Drops up to `n` bytes from the front; returns how many. */
  drop(n: number): number {
    let dropped = 0;
    while (dropped < n && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const k = Math.min(first.length, n - dropped);
      if (k === first.length) this.chunks.shift();
      else this.chunks[0] = first.subarray(k);
      dropped += k;
    }
    this.length -= dropped;
    return dropped;
  }
}
