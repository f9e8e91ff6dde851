import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { LoadResult } from '../api/images.schema.js';
import { StevedoreError } from '../errors.js';
import type { Descriptor } from '../oci/descriptor.js';
import { validate } from '../oci/document.js';
import { indexSchema, layoutHeaderSchema } from '../oci/manifest.js';
import { formatReference, parseTaggedReference } from '../oci/reference.js';
import type { Store } from '../store/store.js';
import { type BlobSource, layoutDirectorySource, stagedSource } from './blobSource.js';
import { type ArchivedFile, manifestForDockerEntry, parseDockerArchiveManifest } from './dockerArchive.js';
import { safeEntryPath } from './entryPath.js';
import { type ImportedImage, ImportSession, type ProgressSink } from './importSession.js';
import { defaultRepository, refNameFromLayout, repositoryFromName } from './refNames.js';
import { type StagedArchive, stageArchive } from './tarArchive.js';

const IMAGE_CONCURRENCY = 8;

export interface LoadOptions {
  /** Repository for bare tags and unnamed images (`--name`); default `localhost/<basename>`. */
  name?: string;
  onProgress?: ProgressSink;
  /** The id its progress events carry (a face that asked for the load follows it by this). */
  transferId?: string;
}

function parseJsonFile(bytes: Buffer | undefined, what: string): unknown {
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new StevedoreError('INVALID_ARCHIVE', `${what} is not valid JSON`);
  }
}

/** The images an image layout's index.json names, with the references they are loaded as. */
async function importLayoutIndex(
  session: ImportSession,
  source: BlobSource,
  indexBytes: Buffer,
  layoutHeader: Buffer | undefined,
  repository: string,
  named: boolean,
): Promise<ImportedImage[]> {
  if (layoutHeader) validate(layoutHeaderSchema, parseJsonFile(layoutHeader, 'oci-layout'), 'oci-layout');
  const index = validate(indexSchema, parseJsonFile(indexBytes, 'index.json'), 'index.json');
  if (index.manifests.length === 0) throw new StevedoreError('INVALID_ARCHIVE', `${source.description} holds no images`);
  // Images are copied several at once: a layout of many small images is bound by the fsync of
  // each blob, and those overlap.
  const limit = pLimit(IMAGE_CONCURRENCY);
  return settleAll(
    (index.manifests as Descriptor[]).map((entry) =>
      limit(async () => {
        const refName = refNameFromLayout(entry.annotations, repository);
        await session.copyImage(source, entry, refName ?? entry.digest, { verifyDiffIds: true });
        const descriptor: Descriptor = { mediaType: entry.mediaType, digest: entry.digest, size: entry.size };
        if (entry.platform) descriptor.platform = entry.platform;
        const refNames = refName ? [refName] : named ? [`${repository}:latest`] : [];
        return { descriptor, refNames };
      }),
    ),
  );
}

/**
 * Like Promise.all, but waits for every copy to end before rejecting: an abort must not run while
 * another image is still renaming blobs into place.
 */
async function settleAll<T>(work: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function resolveArchived(staged: StagedArchive, path: string, what: string): ArchivedFile {
  let current = safeEntryPath(path);
  for (let hops = 0; hops < 16; hops++) {
    const file = staged.files.get(current);
    if (file) return file;
    const next = staged.links.get(current);
    if (!next) break;
    current = next;
  }
  throw new StevedoreError('BLOB_NOT_FOUND', `the archive is missing ${what} (${path})`);
}

/** docker save's format: manifest.json lists config and layer files; make the manifests it implies. */
async function importDockerArchive(session: ImportSession, staged: StagedArchive, store: Store): Promise<ImportedImage[]> {
  const entries = parseDockerArchiveManifest(staged.metadata.get('manifest.json')!);
  if (entries.length === 0) throw new StevedoreError('INVALID_ARCHIVE', 'the archive holds no images');
  const images: ImportedImage[] = [];
  for (const entry of entries) {
    const configPath = safeEntryPath(entry.Config);
    let config = staged.files.get(configPath);
    if (!config) {
      const bytes = staged.metadata.get(configPath);
      if (!bytes) throw new StevedoreError('BLOB_NOT_FOUND', `the archive is missing the image config ${entry.Config}`);
      const result = await session.ingestBytes(bytes, {}, 'config');
      config = { digest: result.digest, size: result.size, compression: 'none' };
    }
    const layers = entry.Layers.map((p, i) => resolveArchived(staged, p, `layer ${i + 1}`));
    const { bytes, descriptor } = manifestForDockerEntry(config, layers);
    await session.ingestBytes(bytes, { digest: descriptor.digest }, 'manifest');
    const refNames = (entry.RepoTags ?? []).map((t) => formatReference(parseTaggedReference(t)));
    await session.copyImage(stagedSource(store, 'the archive'), descriptor, refNames[0] ?? descriptor.digest, {
      verifyDiffIds: true,
    });
    images.push({ descriptor, refNames });
  }
  return images;
}

/**
 * `stevedore load`: an OCI image layout directory, an OCI archive (a tar of one), or a
 * `docker save` archive, gzipped or not. All or nothing: on any error the store is as it was.
 */
export async function loadImages(store: Store, path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) throw new StevedoreError('NOT_FOUND', `${path} does not exist`);
  const repository = options.name ? repositoryFromName(options.name) : defaultRepository(path);
  const session = new ImportSession(store, path, options.onProgress, 'load', options.transferId);
  try {
    let images: ImportedImage[];
    if (info.isDirectory()) {
      const indexFile = join(path, 'index.json');
      if (!existsSync(indexFile))
        throw new StevedoreError('INVALID_ARCHIVE', `${path} is not an OCI image layout (no index.json)`);
      const header = existsSync(join(path, 'oci-layout')) ? readFileSync(join(path, 'oci-layout')) : undefined;
      images = await importLayoutIndex(
        session,
        layoutDirectorySource(path),
        readFileSync(indexFile),
        header,
        repository,
        !!options.name,
      );
    } else {
      const staged = await stageArchive(path, session);
      const index = staged.metadata.get('index.json');
      if (index) {
        images = await importLayoutIndex(
          session,
          stagedSource(store, `archive ${path}`),
          index,
          staged.metadata.get('oci-layout'),
          repository,
          !!options.name,
        );
      } else if (staged.metadata.has('manifest.json')) {
        images = await importDockerArchive(session, staged, store);
      } else {
        throw new StevedoreError(
          'INVALID_ARCHIVE',
          `${path} is a tar, but neither an OCI archive nor a docker archive (no index.json or manifest.json)`,
        );
      }
    }
    const result = await session.commit(images);
    await session.trim();
    return result;
  } catch (err) {
    await session.abort();
    throw err;
  }
}
