import pLimit from 'p-limit';
import type { TransferProgress } from '../api/events.schema.js';
import type { PushResult } from '../api/registry.schema.js';
import type { ProgressSink } from '../archive/importSession.js';
import { ProgressThrottle } from '../archive/progressThrottle.js';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import type { Descriptor } from '../oci/descriptor.js';
import { parseDocument } from '../oci/document.js';
import { formatReference, type Reference } from '../oci/reference.js';
import type { Store } from '../store/store.js';
import { repositoryScope, type Scope } from './auth/scope.js';
import type { BlobLocations } from './blobLocations.js';
import type { RegistryClient } from './client.js';
import { discard, header } from './http.js';
import { startUpload, type UploadTarget, uploadBlob } from './upload.js';

export interface PushOptions {
  signal?: AbortSignal;
  onProgress?: ProgressSink;
  transferId: string;
  locations?: BlobLocations;
  /** Blobs at once (default 4). */
  concurrency?: number;
}

type PushedBlob = PushResult['blobs'][number];
/** Mount candidates tried per blob; each failed try costs a request. */
const MOUNT_TRIES = 2;

interface Plan {
  /** Manifests in the order they are put: children before the index that lists them. */
  manifests: Descriptor[];
  blobs: { descriptor: Descriptor; kind: 'config' | 'layer' }[];
  /** The document that lists each blob and child manifest: the DAG's edges, told with the progress. */
  parents: Map<string, string>;
}

/** What to push: the whole index when every platform's manifest is stored, else the one manifest the image resolves to. */
function planPush(store: Store, image: ImageRecord): Plan {
  const manifests: Descriptor[] = [];
  const blobs = new Map<string, { descriptor: Descriptor; kind: 'config' | 'layer' }>();
  const parents = new Map<string, string>();
  const listedBy = (digest: string, parent: string) => {
    if (!parents.has(digest)) parents.set(digest, parent);
  };
  const addManifest = (d: Descriptor) => {
    const doc = parseDocument(store.readBlob(d.digest), d.mediaType, `manifest ${d.digest}`);
    if (doc.kind !== 'manifest') throw new StevedoreError('INVALID_MANIFEST', `nested index ${d.digest} cannot be pushed`);
    blobs.set(doc.manifest.config.digest, { descriptor: doc.manifest.config as Descriptor, kind: 'config' });
    listedBy(doc.manifest.config.digest, d.digest);
    for (const l of doc.manifest.layers) {
      if ((l.urls?.length ?? 0) > 0) continue; // a foreign layer stays where its urls say
      blobs.set(l.digest, { descriptor: l as Descriptor, kind: 'layer' });
      listedBy(l.digest, d.digest);
    }
    manifests.push(d);
  };
  const children = (image.index?.manifests ?? []) as Descriptor[];
  if (image.index && children.every((c) => store.hasBlob(c.digest))) {
    for (const child of children) {
      addManifest(child);
      listedBy(child.digest, image.top.digest);
    }
    manifests.push(image.top);
  } else {
    addManifest(image.manifestDescriptor);
  }
  for (const { descriptor } of blobs.values()) {
    if (store.blobSize(descriptor.digest) !== descriptor.size) {
      throw new StevedoreError(
        'BLOB_NOT_FOUND',
        `blob ${descriptor.digest} of ${image.refs[0] ?? image.top.digest} is missing from the store (run fsck)`,
      );
    }
  }
  return { manifests, blobs: [...blobs.values()], parents };
}

/**
 * Push walks the DAG bottom-up: each blob is checked with HEAD (exists), else mounted from a
 * repository of the same registry known to hold it, else uploaded; the manifests go last, in
 * their exact bytes, so that the digest the registry names them by is the one stored here.
 */
export async function pushImage(
  store: Store,
  client: RegistryClient,
  image: ImageRecord,
  target: Reference,
  options: PushOptions,
): Promise<PushResult> {
  if (target.digest !== undefined)
    throw new StevedoreError('INVALID_REFERENCE', `cannot push to a digest (${formatReference(target)}); name a tag`);
  const repository = target.path;
  const tag = target.tag ?? 'latest';
  const subject = formatReference({ domain: target.domain, path: repository, tag });
  const plan = planPush(store, image);
  const mountFrom = new Map<string, string[]>();
  for (const { descriptor } of plan.blobs) {
    const repos = (options.locations?.repositoriesHolding(client.host, descriptor.digest) ?? []).filter((r) => r !== repository);
    if (repos.length) mountFrom.set(descriptor.digest, repos.slice(0, MOUNT_TRIES));
  }
  // One token for the push and every mount source (scopes merged), rather than one per blob.
  const scopes: Scope[] = [
    repositoryScope(repository, ['pull', 'push']),
    ...[...new Set([...mountFrom.values()].flat())].map((r) => repositoryScope(r, ['pull'])),
  ];
  // Aborted by a cancel, or at the first failure so that the other uploads stop too.
  const stop = new AbortController();
  const onCancel = () => stop.abort();
  options.signal?.addEventListener('abort', onCancel, { once: true });
  const signal = stop.signal;
  const t: UploadTarget = { client, repository, scopes, signal };
  const emit = (
    d: Descriptor,
    kind: TransferProgress['kind'],
    state: TransferProgress['state'],
    done: number,
    error?: string,
    stopped?: boolean,
    mountedFrom?: string,
  ) => {
    const parent = plan.parents.get(d.digest);
    options.onProgress?.({
      transferId: options.transferId,
      operation: 'push',
      subject,
      digest: d.digest,
      kind,
      state,
      bytesDone: done,
      bytesTotal: d.size,
      ...(error ? { error } : {}),
      ...(stopped ? { stopped } : {}),
      ...(parent ? { parent } : {}),
      ...(mountedFrom ? { mountedFrom } : {}),
    });
  };
  const ctx = { repository };

  const exists = async (digest: Digest): Promise<boolean> => {
    const res = await client.request({
      method: 'HEAD',
      path: `/v2/${repository}/blobs/${digest}`,
      scopes,
      signal,
      context: { ...ctx, digest },
      accept: (s) => s === 200 || s === 404,
    });
    discard(res);
    return res.status === 200;
  };

  /** Tries a cross-repository mount; a 202 instead of 201 is a fresh upload session to use. */
  const mount = async (
    digest: Digest,
    from: string,
  ): Promise<{ mounted: true } | { mounted: false; location: string; minChunk: number }> => {
    const res = await client.request({
      method: 'POST',
      path: `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`,
      scopes,
      signal,
      context: { ...ctx, digest },
      accept: (s) => s === 201 || s === 202,
    });
    discard(res);
    if (res.status === 201) return { mounted: true };
    const location = header(res.headers, 'location');
    if (!location) throw new StevedoreError('REGISTRY_ERROR', `${client.host} started an upload without a Location`);
    return { mounted: false, location, minChunk: Number(header(res.headers, 'oci-chunk-min-length') ?? 0) || 0 };
  };

  const pushBlob = async ({ descriptor: d, kind }: Plan['blobs'][number]): Promise<PushedBlob> => {
    const base = { digest: d.digest, kind, size: d.size };
    try {
      if (await exists(d.digest)) {
        emit(d, kind, 'exists', d.size);
        return { ...base, outcome: 'exists' };
      }
      let session: { location: string; minChunk: number } | undefined;
      for (const from of mountFrom.get(d.digest) ?? []) {
        try {
          const m = await mount(d.digest, from);
          if (m.mounted) {
            emit(d, kind, 'mounted', d.size, undefined, undefined, from);
            return { ...base, outcome: 'mounted', from };
          }
          session = m;
          break;
        } catch (err) {
          // Not allowed to read the source repository: upload instead.
          const code = (err as StevedoreError).code;
          if (code !== 'UNAUTHORIZED' && code !== 'DENIED') throw err;
        }
      }
      session ??= await startUpload(t);
      emit(d, kind, 'transferring', 0);
      const throttle = new ProgressThrottle((done) => emit(d, kind, 'transferring', done));
      await uploadBlob(t, { digest: d.digest, size: d.size, path: store.blobPath(d.digest) }, session, (done) =>
        throttle.update(done),
      ).finally(() => throttle.stop());
      emit(d, kind, 'done', d.size);
      return { ...base, outcome: 'pushed' };
    } catch (err) {
      const collateral = signal.aborted && !options.signal?.aborted;
      emit(d, kind, 'failed', 0, collateral ? 'stopped: another blob failed' : (err as Error).message, collateral);
      throw err;
    }
  };

  const manifestKind = (d: Descriptor) => parseDocument(store.readBlob(d.digest), d.mediaType).kind;
  /** PUTs a manifest in its exact bytes; the registry must name it by the digest stored here. */
  const sendManifest = async (d: Descriptor, reference: string): Promise<void> => {
    const res = await client.request({
      method: 'PUT',
      path: `/v2/${repository}/manifests/${reference}`,
      headers: { 'content-type': d.mediaType },
      body: store.readBlob(d.digest),
      scopes,
      signal,
      context: { ...ctx, reference },
      accept: (s) => s === 201,
    });
    discard(res);
    const claimed = header(res.headers, 'docker-content-digest');
    if (claimed && claimed !== d.digest) {
      throw new StevedoreError('DIGEST_MISMATCH', `${client.host} stored manifest ${claimed} when sent ${d.digest}`);
    }
  };
  const putManifest = async (d: Descriptor, reference: string): Promise<void> => {
    const kind = manifestKind(d);
    emit(d, kind, 'transferring', 0);
    try {
      await sendManifest(d, reference);
    } catch (err) {
      emit(d, kind, 'failed', 0, (err as Error).message);
      throw err;
    }
    emit(d, kind, 'done', d.size);
  };

  for (const { descriptor, kind } of plan.blobs) emit(descriptor, kind, 'queued', 0);
  // The manifests wait for every blob (bottom-up): said now, so the whole DAG is known from the start.
  for (const m of plan.manifests) emit(m, manifestKind(m), 'queued', 0);
  const limit = pLimit(options.concurrency ?? 4);
  let failure: { error: unknown } | undefined;
  try {
    // Every upload is waited for, even after a failure, so none runs on after the push has returned.
    const settled = await Promise.allSettled(
      plan.blobs.map((b) =>
        limit(async () => {
          if (failure) throw new StevedoreError('CANCELLED', 'not started');
          try {
            return await pushBlob(b);
          } catch (error) {
            if (!failure) {
              failure = { error };
              stop.abort();
            }
            throw error;
          }
        }),
      ),
    );
    if (failure) throw failure.error;
    const blobs = settled.map((r) => (r as PromiseFulfilledResult<PushedBlob>).value);
    const top = plan.manifests[plan.manifests.length - 1]!;
    for (const m of plan.manifests) await putManifest(m, m === top ? tag : m.digest);
    options.locations?.record(
      client.host,
      repository,
      blobs.map((b) => b.digest),
    );
    return { transferId: options.transferId, reference: subject, digest: top.digest, size: top.size, blobs };
  } catch (err) {
    if (options.signal?.aborted) throw new StevedoreError('CANCELLED', `push of ${subject} cancelled`);
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', onCancel);
  }
}
