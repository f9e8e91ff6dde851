import { Transform, type TransformCallback } from 'node:stream';
import { Gzip } from 'fflate';

/** RFC 1952 OS byte "unknown", as Go's compress/gzip writes it: the same on every platform. */
const OS_UNKNOWN = 0xff;

/**
 * gzip that gives the same bytes for the same input on every machine: fflate is plain JavaScript
 * (Node's bundled zlib may pick CPU-specific code paths), the header's mtime is 0 and its OS byte
 * is fixed.
 */
export class DeterministicGzip extends Transform {
  private headerFixed = false;
  private readonly gzip = new Gzip({ level: 6, mtime: 0 }, (chunk) => {
    let out = chunk;
    if (!this.headerFixed && out.length >= 10) {
      out = Uint8Array.from(out);
      out[9] = OS_UNKNOWN;
      this.headerFixed = true;
    }
    this.push(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
  });

  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    this.gzip.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.gzip.push(new Uint8Array(0), true);
    done();
  }
}
