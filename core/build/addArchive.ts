import { closeSync, createReadStream, mkdirSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { LayerApplier } from '../layers/apply.js';

function head(path: string, bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes);
  const fd = openSync(path, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** What ADD unpacks: a tar, plain or gzipped (by its first bytes, as docker tells them, not its name). */
export function archiveKind(path: string): 'tar' | 'gzip' | undefined {
  const start = head(path, 512);
  if (start[0] === 0x1f && start[1] === 0x8b) return 'gzip';
  if (start.length >= 262 && start.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return undefined;
}

/**
 * `ADD archive.tar.gz /dest/`: its entries written under `dir`, each confined to it (the layer
 * applier's resolution: `..`, absolute names and links out stay inside), owners as in the archive.
 */
export async function extractArchive(path: string, kind: 'tar' | 'gzip', dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const applier = new LayerApplier(dir, { preserveOwnership: true });
  const extract = tarExtract();
  const consuming = (async () => {
    for await (const entry of extract) await applier.apply({ header: entry.header, body: entry as unknown as Readable });
  })();
  const source = createReadStream(path);
  await Promise.all([kind === 'gzip' ? pipeline(source, createGunzip(), extract) : pipeline(source, extract), consuming]);
  applier.finish();
}
