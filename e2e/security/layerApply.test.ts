import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { before, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { cliPath, stevedore } from '../../testkit/cli.js';
import { type LayerEntry, makeLayer } from '../../testkit/layers.js';
import { type TestImage, writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';

// Issue 12, items 1, 3 and the tar parts of 12, through the real `stevedore unpack`: every
// hostile layer is made here, loaded into a store of its own, and unpacked beside host files
// that must not change.

const work = tempDir('stevedore-layer-apply-');
const store = join(work, 'store');
let images = 0;

/** Loads one image made of `layers` into the store; returns its reference. */
function loadImage(layers: Buffer[], options: Omit<TestImage, 'layers'> = {}): string {
  const n = images++;
  const layout = join(work, 'layouts', String(n));
  writeLayout(layout, [{ refName: String(n), layers, ...options }]);
  const r = stevedore(store, ['load', '-i', layout, '--name', 'hostile']);
  assert.equal(r.code, 0, r.stderr);
  return `hostile:${n}`;
}

/** `stevedore unpack` into a fresh directory; returns the CLI's result and the directory. */
function unpack(ref: string, extra: string[] = []) {
  const dir = join(work, 'out', ref.replace(':', '-'));
  return { ...stevedore(store, ['unpack', ref, dir, ...extra]), dir };
}

const sym = (path: string, linkname: string): LayerEntry => ({ path, type: 'symlink', linkname });
const hard = (path: string, linkname: string): LayerEntry => ({ path, type: 'link', linkname });
/** A directory entry whose mode, owner and times, applied to a host binary, would make it a root-owned setuid, world-writable one. */
const hostileDir = (path: string): LayerEntry => ({ path, type: 'directory', mode: 0o4777, uid: 4242, gid: 4242 });

describe('item 1: deferred directory metadata never reaches the host', () => {
  const host = join(work, 'host');
  const tool = join(host, 'bin', 'tool');
  const hostDirs = [host, join(host, 'bin'), join(host, 'etc')];
  const metadata = (path: string) => {
    const st = lstatSync(path);
    return { path, mode: (st.mode & 0o7777).toString(8), uid: st.uid, gid: st.gid, mtime: st.mtimeMs };
  };
  const watched = () => [tool, ...hostDirs].map(metadata);
  let hostBefore: ReturnType<typeof watched>;
  let treeBefore: ReturnType<typeof snapshotTree>;

  before(() => {
    mkdirSync(join(host, 'bin'), { recursive: true });
    mkdirSync(join(host, 'etc'));
  });

  // Set anew for each case, so that each shows on its own whether it changed the host.
  beforeEach(() => {
    writeFileSync(tool, '#!/bin/sh\necho host tool\n');
    for (const p of [tool, ...hostDirs]) {
      chmodSync(p, 0o755);
      chownSync(p, 0, 0);
      utimesSync(p, 1_000_000, 1_000_000);
    }
    hostBefore = watched();
    treeBefore = snapshotTree(host);
  });

  const cases: [string, LayerEntry[][]][] = [
    ['a directory replaced by a symlink to a host binary in the same layer', [[hostileDir('d/'), sym('d', tool)]]],
    [
      'a directory of an earlier layer, given metadata and replaced by a symlink',
      [[{ path: 'd/', type: 'directory' }], [hostileDir('d/'), sym('d', tool)]],
    ],
    [
      'a directory replaced by a hard link to a hard link to a symlink',
      [[sym('a', tool), hard('b', 'a'), hostileDir('d/'), hard('d', 'b')]],
    ],
    [
      'a directory whose parent is replaced by a symlink to a host directory',
      [[{ path: 'p/', type: 'directory' }, hostileDir('p/etc/'), sym('p', host)]],
    ],
  ];
  for (const [name, layers] of cases) {
    it(`leaves the host as it was: ${name}`, async () => {
      const ref = loadImage(await Promise.all(layers.map(makeLayer)), { gzip: true });
      const r = unpack(ref);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(watched(), hostBefore);
      assert.deepEqual(snapshotTree(host), treeBefore);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Item 3: decompression bombs. Each bomb is one layer whose tar is a 512-byte header for a file of
// zeros and then BOMB_BYTES of zeros (the file and the tar's end): 2 GiB, a few kB to a few MB
// compressed. Its diff ID is right, so only the unpack limit can stop it.

const BOMB_BYTES = 2 * 1024 ** 3;
const ZEROS = Buffer.alloc(64 << 20);
const REPEATS = BOMB_BYTES / ZEROS.length;

/** A ustar header for a regular file (POSIX.1-1988 layout, octal fields, checksum last). */
function ustarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  const octal = (value: number, at: number, width: number) =>
    h.write(`${value.toString(8).padStart(width - 1, '0')}\0`, at, 'ascii');
  h.write(name, 0, 'utf8');
  octal(0o644, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(size, 124, 12);
  octal(1_704_067_200, 136, 12);
  h.write('0', 156, 'ascii');
  h.write('ustar\0' + '00', 257, 'ascii');
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

const bombHeader = ustarHeader('zeros', BOMB_BYTES - 1024);
const bombDiffId = (() => {
  const hash = createHash('sha256').update(bombHeader);
  for (let i = 0; i < REPEATS; i++) hash.update(ZEROS);
  return `sha256:${hash.digest('hex')}`;
})();

function zstdCli(data: Buffer): Buffer {
  const r = spawnSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, String(r.stderr));
  return r.stdout;
}

/** RFC 8878 3.1.1.2: a block header, 3 bytes little-endian: last flag, type, size. */
function zstdBlockHeader(type: 0 | 1 | 2, size: number, last: boolean): Buffer {
  const h = Buffer.alloc(3);
  h.writeUIntLE((size << 3) | (type << 1) | (last ? 1 : 0), 0, 3);
  return h;
}

/**
 * A zstd frame written by hand: the header as a raw block, then the zeros as RLE blocks of
 * `blockSize` bytes, 4 bytes of input each. 128 KiB (the format's largest block) makes 64 kB
 * of input expand to 2 GiB; larger blocks break the format but fzstd took them.
 */
function rleBomb(zeros: number, blockSize = 128 * 1024, windowLog = 17): Buffer {
  const frameHeader = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (windowLog - 10) << 3]);
  const count = zeros / blockSize;
  const rle = (last: boolean) => Buffer.concat([zstdBlockHeader(1, blockSize, last), Buffer.from([0])]);
  const body = Array.from({ length: count }, (_, i) => rle(i === count - 1));
  return Buffer.concat([frameHeader, zstdBlockHeader(0, 512, false), bombHeader, ...body]);
}

/** An image whose one layer is `blob`, already compressed, written to a layout by hand and loaded. */
function loadCompressedLayer(blob: Buffer, mediaType: string, diffId: string): string {
  const n = images++;
  const layout = join(work, 'layouts', String(n));
  const put = (bytes: Buffer | string) => {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(layout, 'blobs', 'sha256', digest.slice(7)), bytes);
    return { digest, size: Buffer.byteLength(bytes) };
  };
  const config = put(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [diffId] },
      history: [{ created_by: 'a bomb' }],
    }),
  );
  const manifest = put(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType, ...put(blob) }],
    }),
  );
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': String(n) },
        },
      ],
    }),
  );
  const r = stevedore(store, ['load', '-i', layout, '--name', 'hostile']);
  assert.equal(r.code, 0, r.stderr);
  return `hostile:${n}`;
}

/** Prints the process's peak resident set size (kB) on its way out, whatever ends it. */
const PEAK_RSS_REPORTER = `data:text/javascript,${encodeURIComponent(
  'import { writeSync } from "node:fs"; process.on("exit", () => writeSync(2, "peak-rss-kb " + process.resourceUsage().maxRSS + "\\n"));',
)}`;

/** The CLI in a child whose peak memory is measured by the child itself; stderr's lines without that report. */
function measured(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', PEAK_RSS_REPORTER, cliPath, '--root', store, ...args], { encoding: 'utf8' });
  const peak = /^peak-rss-kb (\d+)$/m.exec(r.stderr);
  assert.ok(peak, `no peak RSS reported: ${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('peak-rss-kb'));
  return { code: r.status, lines, peakMiB: Number(peak[1]) / 1024 };
}

function unpackMeasured(ref: string, args: string[]) {
  return measured(['unpack', ref, join(work, 'out', ref.replace(':', '-')), ...args]);
}

describe('item 3: decompression bombs stop at --max-size before memory grows', () => {
  /** A `stevedore unpack` is some 60 MB; the bombs expand to 2 GiB, and before the fix took that much. */
  const MEMORY_CEILING_MIB = 300;
  const bombs: [string, () => Buffer, string][] = [
    [
      'zstd frames made by the zstd command from zeros',
      () => Buffer.concat([zstdCli(bombHeader), ...Array(REPEATS).fill(zstdCli(ZEROS))]),
      'application/vnd.oci.image.layer.v1.tar+zstd',
    ],
    ['a zstd frame of hand-made RLE blocks (64 kB)', () => rleBomb(BOMB_BYTES), 'application/vnd.oci.image.layer.v1.tar+zstd'],
    [
      'gzip members from zeros',
      () => Buffer.concat([gzipSync(bombHeader), ...Array(REPEATS).fill(gzipSync(ZEROS, { level: 9 }))]),
      'application/vnd.oci.image.layer.v1.tar+gzip',
    ],
  ];
  for (const [name, make, mediaType] of bombs) {
    it(`stops ${name} with one line, its memory flat`, () => {
      const ref = loadCompressedLayer(make(), mediaType, bombDiffId);
      const r = unpackMeasured(ref, ['--max-size', '10M']);
      assert.notEqual(r.code, 0);
      assert.deepEqual(r.lines.length, 1, r.lines.join('\n'));
      assert.match(
        r.lines[0]!,
        /^error: layer 1 .*expands past the unpack limit of 10485760 bytes \(a decompression bomb\?\); raise it with --max-size$/,
      );
      assert.ok(r.peakMiB < MEMORY_CEILING_MIB, `peak memory ${r.peakMiB.toFixed(0)} MiB, over ${MEMORY_CEILING_MIB} MiB`);
    });
  }

  it('keeps memory flat when ADD in a build unpacks a zstd bomb (the same reader)', () => {
    // `build` has no --max-size: this bomb is cut off after 512 MiB of a 1 GiB file, so ADD writes
    // that much, then fails as truncated. Before, its 16 kB were decoded in one go.
    const context = join(work, 'add-bomb');
    mkdirSync(context, { recursive: true });
    const header = ustarHeader('zeros', 1024 ** 3);
    const blockSize = 128 * 1024;
    const count = (512 * 1024 ** 2) / blockSize;
    const frame = Buffer.concat([
      Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (17 - 10) << 3]),
      zstdBlockHeader(0, 512, false),
      header,
      ...Array.from({ length: count }, (_, i) =>
        Buffer.concat([zstdBlockHeader(1, blockSize, i === count - 1), Buffer.from([0])]),
      ),
    ]);
    writeFileSync(join(context, 'bomb.tar.zst'), frame);
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nADD bomb.tar.zst /\n');
    const r = measured(['build', '--progress', 'plain', '-t', 'add-bomb:1', context]);
    assert.notEqual(r.code, 0);
    assert.ok(r.peakMiB < MEMORY_CEILING_MIB, `peak memory ${r.peakMiB.toFixed(0)} MiB, over ${MEMORY_CEILING_MIB} MiB`);
    assert.match(r.lines.at(-1)!, /^error: archive .*bomb\.tar\.zst is damaged or truncated \(Unexpected end of data\)$/);
  });
});

// ---------------------------------------------------------------------------------------------
// Item 12 (tar parts): sparse entries and names that are not UTF-8, made by GNU tar as it writes
// them. Before, both were written wrong without a word: a sparse file as its packed data regions,
// "caf\xE9" as "caf\uFFFD".

describe('item 12: sparse entries and non-UTF-8 names are refused, never written wrong', () => {
  const src = join(work, 'tar-src');
  /** GNU tar of the names in `src`: given by a list file, since a name's bytes cannot pass as an argument. */
  const gnuTar = (options: string[], names: (string | Buffer)[]): Buffer => {
    const list = join(work, 'tar-list');
    writeFileSync(list, Buffer.concat(names.map((n) => Buffer.concat([Buffer.from(n), Buffer.from([0])]))));
    const r = spawnSync('tar', ['-c', '-f', '-', '-C', src, ...options, '--null', '-T', list], {
      maxBuffer: 1 << 26,
      env: { ...process.env, LC_ALL: 'C' },
    });
    assert.equal(r.status, 0, String(r.stderr));
    return r.stdout;
  };
  const latin1Name = Buffer.from('caf\xe9', 'latin1');

  before(() => {
    mkdirSync(src, { recursive: true });
    // 8 MiB with 6 bytes of data in the middle: GNU tar stores only the data and a map.
    const fd = openSync(join(src, 'holes'), 'w');
    writeSync(fd, 'middle', 4 << 20);
    closeSync(fd);
    const holes = openSync(join(src, 'holes'), 'r+');
    ftruncateSync(holes, 8 << 20);
    closeSync(holes);
    writeFileSync(Buffer.from(join(src, 'caf\xe9'), 'latin1'), 'latin-1 named');
    writeFileSync(join(src, 'café-ünïcode'), 'utf-8 named');
    symlinkSync(latin1Name, join(src, 'points-at-latin1'));
  });

  const refused: [string, () => Buffer, RegExp][] = [
    [
      'a GNU sparse file (type S)',
      () => gnuTar(['--format=gnu', '--sparse'], ['holes']),
      /refusing layer entry "holes": its tar type is not one/,
    ],
    [
      'a PAX sparse file (GNU.sparse 1.0)',
      () => gnuTar(['--format=posix', '--sparse'], ['holes']),
      /refusing layer entry "holes": it is a sparse file/,
    ],
    [
      'a name in latin-1 (ustar bytes)',
      () => gnuTar(['--format=gnu'], [latin1Name]),
      /refusing layer entry "caf\\xe9": its name is not valid UTF-8/,
    ],
    [
      'a name in latin-1 (PAX path)',
      () => gnuTar(['--format=posix'], [latin1Name]),
      /refusing layer entry "caf\uFFFD": its name is not valid UTF-8/,
    ],
    [
      'a symlink to a latin-1 name',
      () => gnuTar(['--format=gnu'], ['points-at-latin1']),
      /refusing layer entry "points-at-latin1": its name is not valid UTF-8/,
    ],
  ];
  for (const [name, make, why] of refused) {
    it(`refuses ${name} in one line, writing nothing under another name`, () => {
      const ref = loadImage([make()]);
      const r = unpack(ref);
      assert.equal(r.code, 1, `unpack succeeded: ${JSON.stringify(snapshotTree(r.dir))}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, why);
      for (const entry of Object.keys(snapshotTree(r.dir))) assert.ok(!entry.includes('\uFFFD'), entry);
    });
  }

  it('still writes UTF-8 names as they are, from ustar and PAX headers', () => {
    for (const format of ['gnu', 'posix']) {
      const ref = loadImage([gnuTar([`--format=${format}`], ['café-ünïcode'])]);
      const r = unpack(ref);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readdirSync(r.dir), ['café-ünïcode']);
      assert.equal(readFileSync(join(r.dir, 'café-ünïcode'), 'utf8'), 'utf-8 named');
    }
  });
});
