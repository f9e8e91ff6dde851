import type { Readable } from 'node:stream';
import type { Dag } from '../api/dag.schema.js';
import type { ImageDetail, ImageSummary, ImageUse, LoadResult, PruneResult, RemoveResult } from '../api/images.schema.js';
import type { ImageComparison, ImageDiff } from '../api/layers.schema.js';
import { loadImages } from '../archive/load.js';
import { type SaveSelection, saveImages } from '../archive/save.js';
import { storeLayerImage } from '../builder/layerImage.js';
import { buildDag, onlyFrom } from '../dag/dag.js';
import { StevedoreError } from '../errors.js';
import { describeImage } from '../images/detail.js';
import { displayName } from '../images/imageName.js';
import { blobsFreedBy, pruneCandidates } from '../images/imagePrune.js';
import type { ImageRecord } from '../images/imageRecords.js';
import { summarize } from '../images/summaries.js';
import { compareImages, diffImage, layerTree } from '../layers/imageDiff.js';
import { familiarReference, formatReference, parseReference, parseTaggedReference } from '../oci/reference.js';
import { imageToRun } from '../runtime/imageToRun.js';
import { dockerSizes } from '../snapshots/dockerSizes.js';
import { sharedLayerCount } from '../snapshots/snapshotStore.js';
import { unpackToDirectory } from '../snapshots/unpackToDirectory.js';
import { addUntagged, removeDigest, removeRef, setRef } from '../store/refs.js';
import { givenName } from './givenName.js';
import type { HandlersOf, MethodsOf } from './handlerSlice.js';
import { recordImageEvent } from './imageEvents.js';
import type { Services } from './services.js';

export interface ImportRequest {
  tar: Readable;
  /** Where the tar came from, for the history entry (a path, or - for stdin). */
  source: string;
  reference?: string | undefined;
  changes: string[];
  message?: string | undefined;
}

/** The images service answers these; pull and push are the transfers service's. */
export type ImageMethods = Exclude<MethodsOf<'images'>, 'images.pull' | 'images.push'>;

/** Local images: what the store's index names, and what can be done to them without a registry. */
export class ImagesService {
  constructor(private readonly s: Services) {}

  private get core() {
    return this.s.core;
  }

  list(): ImageSummary[] {
    return summarize(this.core.imageFacts.list());
  }

  /** The image `ref` names; `resolveToRun` for the image a container runs. */
  resolve(ref: string): ImageRecord {
    return this.core.records.resolve(ref);
  }

  /**
   * The image `ref` names, as a container would run it (an ID several manifests share is one image:
   * what runs is the config's); with `platform` (run --platform), that platform's, refused when the
   * host cannot run it.
   */
  resolveToRun(ref: string, platform?: string): ImageRecord {
    return imageToRun(this.core.records, ref, platform);
  }

  inspect(ref: string): ImageDetail {
    const image = this.resolve(ref);
    return describeImage(this.core.store, image, this.core.imageFacts.list());
  }

  async tag(source: string, target: string): Promise<{ reference: string }> {
    const image = this.resolve(source);
    const reference = formatReference(parseTaggedReference(target));
    await this.core.store.updateIndex((index) => setRef(index, reference, image.top));
    recordImageEvent(this.core.store.root, 'tag', image.configDigest, reference);
    this.core.emit('images.changed', { reason: 'tag' });
    return { reference };
  }

  /** Like `docker rmi`: a name untags; an ID removes the image (with force when it has several names). */
  async remove(refs: string[], force = false): Promise<RemoveResult> {
    const runtime = this.s.containers.runtime;
    const inUse = await runtime.imagesInUse();
    const runningUsers = new Map<string, string[]>();
    if (force && inUse.size > 0) {
      for (const c of await runtime.list(false)) runningUsers.set(c.imageId, [...(runningUsers.get(c.imageId) ?? []), c.name]);
    }
    const targets = refs.map((text) => {
      const image = this.resolve(text);
      const byName = givenName(image, text);
      const users = inUse.get(image.configDigest);
      // docker's rmi -f of an image that stopped containers use takes its names and leaves them;
      // the image stays here, unnamed, since their files come from it. A running one: never.
      const keepForContainers = users !== undefined && (!byName || image.refs.length === 1);
      if (keepForContainers && force) {
        const running = runningUsers.get(image.configDigest);
        if (running) {
          throw new StevedoreError(
            'CONFLICT',
            `image ${text} is used by running container${running.length > 1 ? 's' : ''} ${running.join(', ')}: stop ${running.length > 1 ? 'them' : 'it'} first`,
          );
        }
      } else if (keepForContainers) {
        throw new StevedoreError(
          'CONFLICT',
          `image ${text} is used by container${users.length > 1 ? 's' : ''} ${users.join(', ')}: remove ${users.length > 1 ? 'them' : 'it'} first`,
        );
      }
      if (!byName && image.refs.length > 1 && !force) {
        throw new StevedoreError(
          'CONFLICT',
          `image ${text} has several names (${image.refs.join(', ')}); remove them by name or use --force`,
        );
      }
      return { image, byName, keepForContainers };
    });
    const result: RemoveResult = { untagged: [], deleted: [] };
    await this.core.store.updateIndex((index) => {
      for (const { image, byName, keepForContainers } of targets) {
        if (byName) {
          const removed = removeRef(index, byName);
          if (!removed) continue;
          result.untagged.push(byName);
          if (keepForContainers) addUntagged(index, image.top);
          else if (!removed.stillPresent) result.deleted.push(image.configDigest);
        } else if (index.manifests.some((d) => d.digest === image.top.digest)) {
          result.untagged.push(...removeDigest(index, image.top.digest));
          if (keepForContainers) addUntagged(index, image.top);
          else result.deleted.push(image.configDigest);
        }
      }
    });
    if (result.deleted.length > 0) await this.s.store.gc(false);
    for (const name of result.untagged) recordImageEvent(this.core.store.root, 'untag', name, name);
    for (const id of result.deleted) recordImageEvent(this.core.store.root, 'delete', id);
    this.core.emit('images.changed', { reason: 'remove' });
    return result;
  }

  /** The images containers stand on, with those containers' names. */
  async inUse(): Promise<ImageUse[]> {
    return [...(await this.s.containers.runtime.imagesInUse())].map(([id, containers]) => ({ id, containers }));
  }

  /**
   * `image prune`: dangling images (with `all`, every image no container uses) leave the index,
   * then the garbage goes. The bytes are the blobs only those images reached, known before.
   */
  async prune(options: { all?: boolean | undefined; dryRun?: boolean | undefined } = {}): Promise<PruneResult> {
    const dryRun = options.dryRun === true;
    const images = this.core.records.all().images;
    const dropped = pruneCandidates(images, await this.s.containers.runtime.imagesInUse(), options.all === true);
    const kept = images.filter((image) => !dropped.includes(image));
    const reclaimedBytes = blobsFreedBy(this.core.store, kept, dropped, this.s.builds.cache.referencedBlobs());
    const result: PruneResult = {
      dryRun,
      images: dropped.map((image) => ({
        id: image.configDigest,
        names: image.refs.map((r) => familiarReference(parseReference(r))),
      })),
      reclaimedBytes,
    };
    if (dryRun || dropped.length === 0) return result;
    await this.core.store.updateIndex((index) => {
      for (const image of dropped) removeDigest(index, image.top.digest);
    });
    await this.s.store.gc(false);
    this.core.emit('images.changed', { reason: 'remove' });
    return result;
  }

  async load(path: string, name?: string, transferId?: string): Promise<LoadResult> {
    const result = await loadImages(this.core.store, path, {
      ...(name ? { name } : {}),
      ...(transferId ? { transferId } : {}),
      onProgress: (event) => this.core.emit('transfer.progress', event),
    });
    this.core.emit('images.changed', { reason: 'load' });
    return result;
  }

  /** docker import: a tar as a one-layer image, named with `reference` or left untagged. */
  async importTar(request: ImportRequest): Promise<string> {
    const id = await storeLayerImage(this.core.store, {
      tar: request.tar,
      tags: request.reference ? [request.reference] : [],
      changes: request.changes,
      createdBy: `stevedore import ${request.source}`,
      comment: request.message ?? 'Imported from -',
    });
    recordImageEvent(this.core.store.root, 'import', id, request.reference);
    this.core.emit('images.changed', { reason: 'import' });
    return id;
  }

  async save(refs: string[], output: string): Promise<{ output: string }> {
    const byImage = new Map<string, SaveSelection>();
    for (const text of refs) {
      const image = this.resolve(text);
      const entry = byImage.get(image.top.digest) ?? { image, refs: [] };
      // Asked for by ID: saved without a name.
      const name = givenName(image, text);
      if (name && !entry.refs.includes(name)) entry.refs.push(name);
      byImage.set(image.top.digest, entry);
    }
    await saveImages(this.core.store, [...byImage.values()], output);
    return { output };
  }

  /** `stevedore unpack`: the image's root filesystem in `dir`. Returns notes on what was skipped. */
  async unpack(ref: string, dir: string, options: { maxBytes?: number } = {}): Promise<string[]> {
    const image = this.resolve(ref);
    const keepLayers = sharedLayerCount(image, this.core.records.all().images);
    return unpackToDirectory(this.core.snapshots, image, dir, { ...options, keepLayers });
  }

  /** Per-layer changes and efficiency, dive's way. */
  async diff(ref: string, options: { summary?: boolean } = {}): Promise<ImageDiff> {
    const image = this.resolve(ref);
    return diffImage(this.core.store, image, displayName(image), options);
  }

  async compare(left: string, right: string): Promise<ImageComparison> {
    const [l, r] = [this.resolve(left), this.resolve(right)];
    return compareImages(this.core.store, l, r, [displayName(l), displayName(r)]);
  }

  /** One image's DAG (its nodes still name every image that shares them), or the whole store's. */
  dag(ref?: string): Dag {
    const all = this.core.records.all().images;
    if (!ref) return buildDag(this.core.store, all);
    const image = this.resolve(ref);
    return onlyFrom(buildDag(this.core.store, all), image.top.digest);
  }
}

/** The images service's methods for the Router; the service is made at the first call. */
export function imageHandlers(s: Services): HandlersOf<ImageMethods> {
  return {
    'images.list': async () => s.images.list(),
    'images.inspect': async ({ ref }) => s.images.inspect(ref),
    'images.tag': async ({ source, target }) => s.images.tag(source, target),
    'images.remove': async ({ refs, force }) => s.images.remove(refs, force),
    'images.inUse': async () => s.images.inUse(),
    'images.prune': async (args) => s.images.prune(args),
    'images.load': async ({ path, name, transferId }) => s.images.load(path, name, transferId),
    'images.save': async ({ refs, output }) => s.images.save(refs, output),
    'images.dag': async ({ ref }) => s.images.dag(ref),
    'images.diff': async ({ ref, summary }) => s.images.diff(ref, summary === true ? { summary } : {}),
    'images.layerTree': async ({ ref, layer, scope }) => layerTree(s.core.store, s.images.resolve(ref), layer, scope),
    'images.compare': async ({ left, right }) => s.images.compare(left, right),
    'images.sizes': async () => [...(await dockerSizes(s.core.store, s.images.list()))].map(([id, sizes]) => ({ id, ...sizes })),
    'images.unpack': async ({ ref, dir, maxBytes }) => ({
      notes: await s.images.unpack(ref, dir, maxBytes !== undefined ? { maxBytes } : {}),
    }),
  };
}
