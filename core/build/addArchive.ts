import { createReadStream, mkdirSync } from 'node:fs';
import type { Compression } from '../archive/compression.js';
import { tarCompression } from '../archive/tarDetection.js';
import { LayerApplier } from '../layers/apply.js';
import { readTar } from '../layers/layerReader.js';
import { DEFAULT_MAX_UNPACK_BYTES } from '../layers/unpack.js';

/**
 * What ADD unpacks: a tar, plain, gzipped or zstd-compressed, told by its first bytes once
 * decompressed, as docker does; anything else (a gzipped text file too) is copied as it is.
 */
export function archiveKind(path: string): Compression | undefined {
  return tarCompression(path);
}

/**
 * `ADD archive.tar.gz /dest/`: its entries written under `dir`, each confined to it (the layer
 * applier's resolution: `..`, absolute names and links out stay inside), owners as in the archive.
 * Read as a layer is: stopped at `maxBytes` uncompressed, a damaged archive said so in one line.
 */
export async function extractArchive(
  path: string,
  kind: Compression,
  dir: string,
  options: { maxBytes?: number } = {},
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const applier = new LayerApplier(dir, { preserveOwnership: true });
  await readTar(
    createReadStream(path),
    kind,
    { maxBytes: options.maxBytes ?? DEFAULT_MAX_UNPACK_BYTES, what: `archive ${path}` },
    (header, body) => applier.apply({ header, body }),
  );
  applier.finish();
}
