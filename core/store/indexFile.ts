import { readFileSync, writeFileSync } from 'node:fs';
import { isDigest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { Descriptor } from '../oci/descriptor.js';
import { validate } from '../oci/document.js';
import { type ImageIndex, indexSchema } from '../oci/manifest.js';
import { MediaType } from '../oci/mediaTypes.js';
import { writeFileAtomic } from '../system/atomicFile.js';
import type { StoreLayout } from './layout.js';

export function emptyIndex(): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
}

function isPlainDescriptor(d: unknown): boolean {
  const x = d as Descriptor | null;
  return typeof x === 'object' && x !== null && typeof x.mediaType === 'string' && isDigest(x.digest) && Number.isInteger(x.size);
}

export function readIndex(layout: StoreLayout): ImageIndex {
  return readIndexFile(layout).index;
}

/** index.json's text as it is on disk ('' before there is one) and the index it holds. */
export function readIndexFile(layout: StoreLayout): { index: ImageIndex; text: string } {
  let text: string;
  try {
    text = readFileSync(layout.indexFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { index: emptyIndex(), text: '' };
    throw err;
  }
  // Only a crash right after createEmptyIndex leaves the file empty: every later write is atomic.
  if (text.length === 0) return { index: emptyIndex(), text };
  try {
    const parsed = JSON.parse(text);
    // Stevedore writes this file itself; a full schema check is kept for anything unexpected.
    if (parsed?.schemaVersion === 2 && Array.isArray(parsed.manifests) && parsed.manifests.every(isPlainDescriptor)) {
      return { index: parsed as ImageIndex, text };
    }
    return { index: validate(indexSchema, parsed, 'store index.json'), text };
  } catch (err) {
    throw new StevedoreError('STORE_CORRUPT', `the store's index ${layout.indexFile} is unreadable: ${(err as Error).message}`);
  }
}

/**
 * A new store's index names nothing, so there is nothing to make durable: it is written without
 * the fsync (about 20 ms on a fresh store, the first flush of the journal) that every later
 * change gets. Another process creating it at the same moment is fine.
 */
export function createEmptyIndex(layout: StoreLayout): void {
  try {
    writeFileSync(layout.indexFile, `${JSON.stringify(emptyIndex(), null, 2)}\n`, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** What writeIndex writes for `index`. */
export function indexText(index: ImageIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}

export function writeIndex(layout: StoreLayout, text: string): void {
  writeFileAtomic(layout.indexFile, text);
}

export function descriptorsOf(index: ImageIndex): Descriptor[] {
  return index.manifests as Descriptor[];
}
