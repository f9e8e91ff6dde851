// The floor of an unpack in Node: `node minimalUnpack.cjs LAYER.tar.gz DEST` does only the work
// `tar -xzf LAYER -C DEST` cannot skip for a layer of directories and regular files: gunzip the
// blob as a stream, read the 512-byte headers (ustar, with the PAX records such a layer may carry
// skipped), and for each entry mkdir, or open (create), write, set the mtime, close, all with
// Node's synchronous calls (no thread pool, no promise per file). No path checks, no whiteouts,
// no owners, no links, no hashing; Node built-ins only.
'use strict';
const fs = require('node:fs');
const { join } = require('node:path');
const zlib = require('node:zlib');

const [layer, dest] = process.argv.slice(2);
/** The header being read (it may straddle two chunks of the gunzipped stream). */
const header = Buffer.alloc(512);
let headerFill = 0;
/** The entry whose content is being read, and the padding to 512 after it. */
let current = null;
let skip = 0;

const field = (header, start, length) => {
  const end = header.indexOf(0, start);
  return header.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
};
const octal = (header, start, length) => Number.parseInt(field(header, start, length).trim() || '0', 8);

function entryStart(header) {
  const prefix = field(header, 345, 155);
  const name = (prefix ? `${prefix}/` : '') + field(header, 0, 100);
  const size = octal(header, 124, 12);
  const type = String.fromCharCode(header[156] || 48);
  const path = join(dest, name);
  if (type === '5') {
    fs.mkdirSync(path, { recursive: true, mode: octal(header, 100, 8) });
    return { size: 0, fd: -1 };
  }
  if (type !== '0') return { size, fd: -1 };
  const fd = fs.openSync(path, 'wx', octal(header, 100, 8));
  return { size, fd, mtime: octal(header, 136, 12) };
}

function finish(entry) {
  if (entry.fd < 0) return;
  fs.futimesSync(entry.fd, entry.mtime, entry.mtime);
  fs.closeSync(entry.fd);
}

function consume(chunk) {
  let at = 0;
  while (at < chunk.length) {
    if (skip > 0) {
      const n = Math.min(skip, chunk.length - at);
      at += n;
      skip -= n;
    } else if (current) {
      const n = Math.min(current.left, chunk.length - at);
      if (current.fd >= 0) fs.writeSync(current.fd, chunk, at, n);
      at += n;
      current.left -= n;
      if (current.left === 0) endEntry();
    } else {
      const n = Math.min(512 - headerFill, chunk.length - at);
      chunk.copy(header, headerFill, at, at + n);
      headerFill += n;
      at += n;
      if (headerFill < 512) break;
      headerFill = 0;
      if (header[0] === 0) continue;
      const entry = entryStart(header);
      current = { ...entry, left: entry.size };
      if (current.left === 0) endEntry();
    }
  }
}

function endEntry() {
  finish(current);
  skip = (512 - (current.size % 512)) % 512;
  current = null;
}

fs.mkdirSync(dest, { recursive: true });
fs.createReadStream(layer, { highWaterMark: 256 << 10 })
  .pipe(zlib.createGunzip({ chunkSize: 256 << 10 }))
  .on('data', consume)
  .on('error', (err) => {
    console.error(`minimalUnpack: ${err.message}`);
    process.exit(1);
  });
