import { spawn } from 'node:child_process';
import { createReadStream, mkdirSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Compression } from '../archive/compression.js';
import { looksLikeTar, readHead } from '../archive/compression.js';
import { tarCompression } from '../archive/tarDetection.js';
import { StevedoreError } from '../errors.js';
import { LayerApplier } from '../layers/apply.js';
import { readTar } from '../layers/layerReader.js';
import { DEFAULT_MAX_UNPACK_BYTES } from '../layers/unpack.js';

/**
 * How ADD reads an archive: the layer reader's compressions, and bzip2 and xz, which docker's
 * DecompressStream also takes (moby pkg/archive: xz through the `xz` program, as here; bzip2
 * through Go's compress/bzip2, here through the `bzip2` program).
 */
export type ArchiveKind = Compression | 'bzip2' | 'xz';

const EXTERNAL: Record<'bzip2' | 'xz', { magic: Buffer; program: string }> = {
  bzip2: { magic: Buffer.from('BZh', 'latin1'), program: 'bzip2' },
  xz: { magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), program: 'xz' },
};

/** `program -dc path`: its output, and its exit said in one line when it fails. */
function decompressing(kind: 'bzip2' | 'xz', path: string): { stdout: Readable; stop: () => void; ended: Promise<void> } {
  const { program } = EXTERNAL[kind];
  const child = spawn(program, ['-dc', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const ended = new Promise<void>((resolve, reject) => {
    child.on('error', (err) =>
      reject(new StevedoreError('INTERNAL', `cannot unpack ${path}: ADD needs the ${program} program (${err.message})`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0 || signal === 'SIGTERM') resolve();
      else
        reject(
          new StevedoreError('INVALID_ARCHIVE', `cannot unpack ${path}: ${stderr.trim().split('\n')[0] || `${program} failed`}`),
        );
    });
  });
  ended.catch(() => undefined);
  return { stdout: child.stdout, stop: () => child.kill('SIGTERM'), ended };
}

/** The first 512 bytes `program` makes of the file, or fewer; the program stopped then. */
async function externalHead(kind: 'bzip2' | 'xz', path: string): Promise<Buffer> {
  const run = decompressing(kind, path);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of run.stdout) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    if (length >= 512) break;
  }
  run.stop();
  await run.ended.catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, 512);
}

/**
 * What ADD unpacks: a tar, plain or compressed (gzip, zstd, bzip2, xz), told by its first bytes
 * once decompressed, as docker does; anything else (a compressed text file too) is copied as it is.
 */
export async function archiveKind(path: string): Promise<ArchiveKind | undefined> {
  const head = readHead(path, 8);
  for (const kind of ['bzip2', 'xz'] as const) {
    if (!head.subarray(0, EXTERNAL[kind].magic.length).equals(EXTERNAL[kind].magic)) continue;
    return looksLikeTar(await externalHead(kind, path)) ? kind : undefined;
  }
  return tarCompression(path);
}

/**
 * `ADD archive.tar.gz /dest/`: its entries written under `dir`, each confined to it (the layer
 * applier's resolution: `..`, absolute names and links out stay inside), owners as in the archive.
 * Read as a layer is: stopped at `maxBytes` uncompressed, a damaged archive said so in one line.
 */
export async function extractArchive(
  path: string,
  kind: ArchiveKind,
  dir: string,
  options: { maxBytes?: number } = {},
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const applier = new LayerApplier(dir, { preserveOwnership: true });
  const limits = { maxBytes: options.maxBytes ?? DEFAULT_MAX_UNPACK_BYTES, what: `archive ${path}` };
  const apply: Parameters<typeof readTar>[3] = (header, body) => applier.apply({ header, body });
  if (kind === 'bzip2' || kind === 'xz') {
    const run = decompressing(kind, path);
    try {
      await readTar(run.stdout, 'none', limits, apply);
    } catch (err) {
      run.stop();
      // The program's own word on a damaged file is the clearer one.
      await run.ended;
      throw err;
    }
    await run.ended;
  } else {
    await readTar(createReadStream(path), kind, limits, apply);
  }
  applier.finish();
}
