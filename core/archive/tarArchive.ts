import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { type Digest, isDigest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import { type Compression, detectCompression, HeadCapture, looksLikeTar, readHead } from './compression.js';
import type { ArchivedFile } from './dockerArchive.js';
import { safeEntryPath, safeLinkTarget } from './entryPath.js';
import type { ImportSession } from './importSession.js';

const MAX_METADATA_BYTES = 32 << 20;
const blobEntry = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/;

/** What one pass over an archive leaves: its small metadata files, and its blobs, now in the store. */
export interface StagedArchive {
  metadata: Map<string, Buffer>;
  files: Map<string, ArchivedFile>;
  links: Map<string, string>;
}

/** Whether the file is a tar (possibly gzipped); throws a clear error for anything else. */
export function archiveCompression(path: string): Compression {
  const head = readHead(path, 512);
  const compression = detectCompression(head);
  if (compression === 'gzip') return compression;
  if (compression === 'none' && looksLikeTar(head)) return compression;
  throw new StevedoreError(
    'INVALID_ARCHIVE',
    `${path} is not an OCI layout, OCI archive or docker archive${compression === 'zstd' ? ' (zstd-compressed archives are not supported; decompress it first)' : ''}`,
  );
}

function isMetadata(path: string): boolean {
  return !path.includes('/') && (path.endsWith('.json') || path === 'repositories' || path === 'oci-layout');
}

/** Legacy docker save writes layers as `<id>/layer.tar`; podman as `<hex>.tar`. */
function isLegacyLayer(path: string): boolean {
  return /^[^/]+\/layer\.tar$/.test(path) || /^[a-f0-9]{64}\.tar$/.test(path);
}

async function readAll(stream: Readable, limit: number, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new StevedoreError('INVALID_ARCHIVE', `archive entry ${path} is too large for a metadata file`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The entry being read, and whether its body was read to its end. */
interface EntryState {
  name: string;
  done: boolean;
}

function describeTarError(path: string, err: unknown, entry: EntryState | undefined): Error {
  if (err instanceof StevedoreError) return err;
  const message = (err as Error).message ?? String(err);
  if (/unexpected end|premature close|truncated/i.test(message)) {
    const where = !entry ? 'in its first header' : entry.done ? `just after ${entry.name}` : `in the middle of ${entry.name}`;
    return new StevedoreError('INVALID_ARCHIVE', `${basename(path)} is truncated: the archive ends ${where} (${path})`);
  }
  if (/invalid tar header|unexpected eof|incorrect header check|invalid (block|distance)/i.test(message)) {
    return new StevedoreError('INVALID_ARCHIVE', `${path} is damaged or not a tar archive (${message.replace(/\.$/, '')})`);
  }
  return err as Error;
}

/**
 * One pass over a tar: blobs stream straight into the store (checked against the digest their
 * path names), small JSON files are kept in memory, links are remembered as aliases.
 */
export async function stageArchive(path: string, session: ImportSession): Promise<StagedArchive> {
  const compression = archiveCompression(path);
  const staged: StagedArchive = { metadata: new Map(), files: new Map(), links: new Map() };
  const extract = tarExtract();
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = compression === 'gzip' ? file.pipe(createGunzip()) : file;
  input.on('error', (err: Error) => extract.destroy(err));
  file.on('error', (err) => extract.destroy(err));
  input.pipe(extract);
  let current: EntryState | undefined;
  try {
    for await (const entry of extract) {
      const name = safeEntryPath(entry.header.name);
      const state: EntryState = { name, done: false };
      current = state;
      entry.once('end', () => {
        state.done = true;
      });
      const type = entry.header.type;
      if (type === 'symlink' || type === 'link') {
        staged.links.set(name, safeLinkTarget(name, entry.header.linkname ?? '', type === 'link'));
        entry.resume();
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      const size = entry.header.size ?? 0;
      const blob = blobEntry.exec(name);
      if (blob) {
        const digest = `${blob[1]}:${blob[2]}`;
        if (!isDigest(digest))
          throw new StevedoreError('INVALID_ARCHIVE', `archive entry ${name} is not named by a valid digest`);
        const capture = new HeadCapture();
        const result = await session.ingest(
          entry.pipe(capture),
          { digest: digest as Digest, size, what: `archive entry ${name}` },
          'blob',
        );
        staged.files.set(name, { digest: result.digest, size: result.size, compression: capture.compression });
      } else if (isMetadata(name)) {
        staged.metadata.set(name, await readAll(entry as unknown as Readable, MAX_METADATA_BYTES, name));
      } else if (isLegacyLayer(name)) {
        const capture = new HeadCapture();
        const result = await session.ingest(entry.pipe(capture), { size, what: `archive entry ${name}` }, 'layer');
        staged.files.set(name, { digest: result.digest, size: result.size, compression: capture.compression });
      } else {
        entry.resume();
      }
    }
  } catch (err) {
    file.destroy();
    throw describeTarError(path, err, current);
  }
  return staged;
}
