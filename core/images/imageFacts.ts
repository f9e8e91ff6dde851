import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Digest } from '../digest/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import { formatPlatform, hostPlatform } from '../oci/platform.js';
import type { Store } from '../store/store.js';
import type { ImageRecord, ImageRecords } from './imageRecords.js';
import { pulledAt } from './pullTime.js';

/** What a row of the image list needs of one index.json entry, resolved for the host platform. */
export interface ImageFacts {
  topDigest: string;
  topMediaType: string;
  /** Whether the entry is an index, whose choice of manifest depends on which are stored. */
  isIndex: boolean;
  manifestDigest: string;
  configDigest: string;
  created: string | null;
  os: string;
  architecture: string;
  variant?: string;
  /** Layer blobs as [digest, size], in order. */
  layers: [string, number][];
}

export interface NamedFacts extends ImageFacts {
  refs: string[];
  /** When each of `refs` was last pulled (pullTime.ts); a name never pulled is absent. */
  pulled?: Record<string, string>;
}

export function factsOf(image: ImageRecord): ImageFacts {
  return {
    topDigest: image.top.digest,
    topMediaType: image.top.mediaType,
    isIndex: image.index !== undefined,
    manifestDigest: image.manifestDescriptor.digest,
    configDigest: image.configDigest,
    created: image.config.created ?? null,
    os: image.config.os,
    architecture: image.config.architecture,
    ...(image.config.variant ? { variant: image.config.variant } : {}),
    layers: image.manifest.layers.map((l) => [l.digest, l.size]),
  };
}

/**
 * An entry of the file, keyed by its top digest: [topMediaType, isIndex, manifestDigest ('' for the
 * top's own), configDigest, created, os, architecture, variant ('' for none), then each layer's
 * digest and size]. An array instead of an object with its keys is half the file, and half the
 * time JSON.parse takes over 20,000 of them.
 */
type StoredFacts = (string | number | boolean | null)[];
const LAYERS_AT = 8;

function stored(facts: ImageFacts): StoredFacts {
  const entry: StoredFacts = [
    facts.topMediaType,
    facts.isIndex,
    facts.manifestDigest === facts.topDigest ? '' : facts.manifestDigest,
    facts.configDigest,
    facts.created,
    facts.os,
    facts.architecture,
    facts.variant ?? '',
  ];
  for (const [digest, size] of facts.layers) entry.push(digest, size);
  return entry;
}

/** An entry of the file back, with its names, field by field; undefined for one that is not well formed. */
function named(
  topDigest: string,
  entry: StoredFacts,
  refs: string[],
  pulled: Record<string, string> | undefined,
): NamedFacts | undefined {
  if (!Array.isArray(entry) || entry.length < LAYERS_AT || (entry.length - LAYERS_AT) % 2 !== 0) return undefined;
  const [topMediaType, isIndex, manifestDigest, configDigest, created, os, architecture, variant] = entry;
  const layers: [string, number][] = [];
  for (let i = LAYERS_AT; i < entry.length; i += 2) layers.push([entry[i] as string, entry[i + 1] as number]);
  const facts: NamedFacts = {
    topDigest,
    topMediaType: topMediaType as string,
    isIndex: isIndex === true,
    manifestDigest: (manifestDigest as string) || topDigest,
    configDigest: configDigest as string,
    created: (created as string | null) ?? null,
    os: os as string,
    architecture: architecture as string,
    layers,
    refs,
  };
  if (variant) facts.variant = variant as string;
  if (pulled) facts.pulled = pulled;
  return facts;
}

const VERSION = 2;
/** A blobs directory changed this recently may change again within its mtime's granularity. */
const SETTLED_NS = 2_000_000_000n;

interface CacheFile {
  version: number;
  platform: string;
  /** The blobs directory's mtime (ns) when written, and whether it had settled then. */
  blobsMtimeNs: string;
  settled: boolean;
  facts: Record<string, StoredFacts>;
}

/**
 * The image list's facts, kept in `<root>/cache/image-facts.json` so that listing 2,000 images
 * reads one file instead of 4,000 blobs (a manifest and a config each). The file is derived and
 * disposable: removing it loses nothing, a damaged one is ignored and rewritten. An entry is keyed
 * by the digest of the index.json entry, and blobs never change, so it stays right for as long as
 * its blobs are stored; what can change is which blobs are. So the blobs directory's mtime is
 * kept beside it (a blob added or removed is a rename in that directory): while it is the same,
 * and had settled when the file was written (racy-git's rule, for coarse timestamps), every entry
 * is taken as it is. Otherwise each entry's manifest and config are checked to be still stored
 * (two stats), and an index's choice of manifest, which depends on which of its manifests are
 * stored, is made again.
 */
export class ImageFactsCache {
  private readonly file: string;
  private readonly blobsDir: string;
  /** The cache as last read or written: a long-lived engine lists without reading the file again. */
  private memory: CacheFile | undefined;

  constructor(
    private readonly store: Store,
    private readonly records: ImageRecords,
  ) {
    this.file = join(store.root, 'cache', 'image-facts.json');
    this.blobsDir = join(store.layout.blobs, 'sha256');
  }

  /** Every image in index.json once, with its names; entries that cannot be read are left out, as in ImageRecords.all. */
  list(): NamedFacts[] {
    const groups = new Map<string, { top: Descriptor; refs: string[]; pulled: Record<string, string> | undefined }>();
    for (const { descriptor, refName } of this.store.entries()) {
      let group = groups.get(descriptor.digest);
      if (!group) {
        group = { top: descriptor, refs: [], pulled: undefined };
        groups.set(descriptor.digest, group);
      }
      if (refName) {
        group.refs.push(refName);
        const at = pulledAt(descriptor);
        if (at) {
          group.pulled ??= {};
          group.pulled[refName] = at;
        }
      }
    }
    const platform = formatPlatform(hostPlatform());
    const blobsMtimeNs = this.blobsMtimeNs();
    const cache = this.memory?.platform === platform ? this.memory : this.read(platform);
    const trusted = cache?.settled === true && cache.blobsMtimeNs === blobsMtimeNs;
    const facts: Record<string, StoredFacts> = {};
    const listed: NamedFacts[] = [];
    let changed = cache === undefined || !trusted;
    for (const [digest, { top, refs, pulled }] of groups) {
      let entry = cache?.facts[digest];
      let found = entry && named(digest, entry, refs, pulled);
      if (found && !trusted && (found.isIndex || !this.stillStored(found))) found = undefined;
      if (!found) {
        changed = true;
        try {
          entry = stored(factsOf(this.records.resolveTop(top, refs)));
        } catch {
          continue;
        }
        found = named(digest, entry, refs, pulled)!;
      }
      facts[digest] = entry!;
      listed.push(found);
    }
    if (cache && Object.keys(cache.facts).length !== Object.keys(facts).length) changed = true;
    if (changed) {
      this.memory = { version: VERSION, platform, blobsMtimeNs, settled: this.settled(blobsMtimeNs), facts };
      this.write(this.memory);
    } else {
      this.memory = cache;
    }
    return listed;
  }

  private stillStored(facts: ImageFacts): boolean {
    return this.store.hasBlob(facts.manifestDigest as Digest) && this.store.hasBlob(facts.configDigest as Digest);
  }

  private blobsMtimeNs(): string {
    return String(statSync(this.blobsDir, { bigint: true, throwIfNoEntry: false })?.mtimeNs ?? 0n);
  }

  private settled(mtimeNs: string): boolean {
    return BigInt(Date.now()) * 1_000_000n - BigInt(mtimeNs) > SETTLED_NS;
  }

  private read(platform: string): CacheFile | undefined {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as CacheFile;
      if (parsed?.version !== VERSION || parsed.platform !== platform || typeof parsed.facts !== 'object') return undefined;
      return parsed;
    } catch {
      return undefined;
    }
  }

  /** A cache that cannot be written (a read-only store) is simply not kept. */
  private write(cache: CacheFile): void {
    const temp = `${this.file}.${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      mkdirSync(join(this.store.root, 'cache'), { recursive: true });
      writeFileSync(temp, JSON.stringify(cache));
      renameSync(temp, this.file);
    } catch {
      // derived data: the next listing reads the blobs again
      rmSync(temp, { force: true });
    }
  }
}
