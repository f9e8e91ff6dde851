import { matchImage } from '../api/imageMatch.js';
import { formatReferenceParts, parseReferenceParts } from '../api/referenceGrammar.js';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { ImageConfig } from '../oci/config.js';
import type { Descriptor, Platform } from '../oci/descriptor.js';
import { parseStoredConfig, parseStoredDocument } from '../oci/document.js';
import type { ImageIndex, Manifest } from '../oci/manifest.js';
import { hostPlatform, selectPlatformManifest } from '../oci/platform.js';
import { parseReference } from '../oci/reference.js';
import { DagBounds } from '../store/dagBounds.js';
import type { Store } from '../store/store.js';

/** One image in the store: an index.json entry resolved down to the manifest and config it means. */
export interface ImageRecord {
  /** The descriptor in index.json: a manifest, or an index for multi-platform images. */
  top: Descriptor;
  refs: string[];
  index?: ImageIndex;
  manifestDescriptor: Descriptor;
  manifest: Manifest;
  /** The image ID. */
  configDigest: Digest;
  config: ImageConfig;
}

/**
 * Reads images out of the store. Blobs never change, so parsed documents are cached by digest
 * for the life of the object (the engine keeps one; the CLI makes one per command).
 */
export class ImageRecords {
  private readonly parsed = new Map<string, unknown>();

  constructor(private readonly store: Store) {}

  private cached<T>(digest: string, make: () => T): T {
    if (this.parsed.has(digest)) return this.parsed.get(digest) as T;
    const value = make();
    this.parsed.set(digest, value);
    return value;
  }

  readDocument(descriptor: Descriptor) {
    return this.cached(`doc:${descriptor.digest}`, () =>
      parseStoredDocument(this.store.readBlob(descriptor.digest), descriptor.mediaType, `manifest ${descriptor.digest}`),
    );
  }

  readConfig(digest: Digest): ImageConfig {
    return this.cached(`config:${digest}`, () => parseStoredConfig(this.store.readBlob(digest)));
  }

  /**
   * The image manifests an index reaches that are in the store, through nested indexes too (an
   * index may list indexes: one per platform, say), walked within `DagBounds`. A manifest listed
   * without a platform takes the one its parent index entry names.
   */
  private storedManifests(top: Descriptor): Descriptor[] {
    const bounds = new DagBounds(`image ${top.digest}`);
    const found: Descriptor[] = [];
    const visit = (d: Descriptor, depth: number, inherited: Platform | undefined) => {
      if (!bounds.enter(d.digest, depth) || !this.store.hasBlob(d.digest)) return;
      const doc = this.readDocument(d);
      const platform = d.platform ?? inherited;
      if (doc.kind === 'manifest') found.push(platform && !d.platform ? { ...d, platform } : d);
      else for (const child of doc.index.manifests as Descriptor[]) visit(child, depth + 1, platform);
    };
    visit(top, 0, undefined);
    return found;
  }

  /** Resolve an index.json entry to the platform manifest the host would run. */
  resolveTop(top: Descriptor, refs: string[], platform: Platform = hostPlatform()): ImageRecord {
    const doc = this.readDocument(top);
    let index: ImageIndex | undefined;
    let manifestDescriptor = top;
    let manifest: Manifest;
    if (doc.kind === 'index') {
      index = doc.index;
      const present = this.storedManifests(top);
      const chosen = selectPlatformManifest(present, platform) ?? present[0];
      if (!chosen) {
        throw new StevedoreError('BLOB_NOT_FOUND', `no manifest of index ${top.digest} is in the store`);
      }
      manifestDescriptor = chosen;
      const child = this.readDocument(chosen);
      if (child.kind !== 'manifest') throw new StevedoreError('INTERNAL', `${chosen.digest} is not a manifest`);
      manifest = child.manifest;
    } else {
      manifest = doc.manifest;
    }
    const configDigest = manifest.config.digest as Digest;
    return {
      top,
      refs,
      ...(index ? { index } : {}),
      manifestDescriptor,
      manifest,
      configDigest,
      config: this.readConfig(configDigest),
    };
  }

  /** index.json's entries, one per image with all its names: read from index.json alone. */
  private entries(): { top: Descriptor; refs: string[] }[] {
    const groups = new Map<string, { top: Descriptor; refs: string[] }>();
    for (const { descriptor, refName } of this.store.entries()) {
      const group = groups.get(descriptor.digest) ?? { top: descriptor, refs: [] };
      if (refName) group.refs.push(refName);
      groups.set(descriptor.digest, group);
    }
    return [...groups.values()];
  }

  /** Every image once, with all its names; entries that cannot be read are reported, not hidden. */
  all(): { images: ImageRecord[]; broken: { digest: string; refs: string[]; error: string }[] } {
    return this.resolveEach(this.entries());
  }

  private resolveEach(entries: { top: Descriptor; refs: string[] }[]): ReturnType<ImageRecords['all']> {
    const images: ImageRecord[] = [];
    const broken: { digest: string; refs: string[]; error: string }[] = [];
    for (const { top, refs } of entries) {
      try {
        images.push(this.resolveTop(top, refs));
      } catch (err) {
        broken.push({ digest: top.digest, refs, error: (err as Error).message });
      }
    }
    return { images, broken };
  }

  /**
   * The image a name names (the rule's first step), found from index.json: only its manifest and
   * config are read, where the whole rule reads every image's (a command naming an image in a
   * store of thousands read thousands of blobs). An image that cannot be read is left to the whole
   * rule, which leaves it out as all() does.
   */
  private byName(text: string, entries: { top: Descriptor; refs: string[] }[]): ImageRecord | undefined {
    const parsed = parseReferenceParts(text);
    if (!parsed.ok) return undefined;
    const name = formatReferenceParts(parsed.reference);
    const entry = entries.find((e) => e.refs.includes(name));
    if (!entry) return undefined;
    try {
      return this.resolveTop(entry.top, entry.refs);
    } catch {
      return undefined;
    }
  }

  /**
   * Finds an image the way docker does (core/api/imageMatch.ts, the rule the app shares): by name,
   * `repo@digest`, image ID or a unique prefix of it, or manifest digest. `forRootfs`: the caller
   * wants what to run, which the config alone decides, so an ID several manifests share (a gzip
   * copy beside a zstd one, a podman export beside the original) is one image there.
   */
  resolve(text: string, options: { forRootfs?: boolean } = {}): ImageRecord {
    const entries = this.entries();
    const named = this.byName(text, entries);
    if (named) return named;
    const match = matchImage(
      this.resolveEach(entries).images,
      text,
      (img) => ({ names: img.refs, id: img.configDigest, digests: [img.top.digest, img.manifestDescriptor.digest] }),
      options,
    );
    switch (match.kind) {
      case 'found':
        return match.image;
      case 'ambiguous':
        throw new StevedoreError('CONFLICT', `"${text}" matches more than one image; give more characters of the ID`);
      case 'none':
        // Neither a name nor an ID: the reference's own error says what is wrong with it.
        if (match.badName) parseReference(text);
        throw new StevedoreError('IMAGE_NOT_FOUND', `no such image: ${text}`);
    }
  }
}
