import { setImmediate } from 'node:timers/promises';
import { toFileTable } from '../api/fileTable.js';
import type { FileChange, ImageComparison, ImageDiff, LayerTree } from '../api/layers.schema.js';
import type { Digest } from '../digest/digest.js';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Store } from '../store/store.js';
import { byCodeUnits } from '../text/codeUnitOrder.js';
import { computeEfficiency } from './efficiency.js';
import { aggregateView, diffLayer, type Stack, sameFile, summarizeChanges } from './fileTreeDiff.js';
import { indexLayer, type LayerIndex } from './layerIndex.js';

interface Analysis {
  indexes: LayerIndex[];
  /** stacks[i] is the filesystem before layer i; stacks[n] the image's. */
  stacks: Stack[];
  changes: FileChange[][];
}

/** The history entries that made layers, in layer order (metadata-only steps have empty_layer). */
export function layerHistory(image: ImageRecord): string[] {
  return (image.config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by ?? h.comment ?? '');
}

const ANALYSES_KEPT = 4;

/**
 * The last few images analyzed, by manifest digest: the Layers tab asks for one layer after
 * another of the same image, and a 100k-path image takes a second to stack.
 */
const recent = new Map<string, Promise<Analysis>>();

function analyze(store: Store, image: ImageRecord): Promise<Analysis> {
  const key = `${store.root}\0${image.manifestDescriptor.digest}`;
  let analysis = recent.get(key);
  if (!analysis) {
    analysis = analyzeLayers(store, image);
    analysis.catch(() => recent.delete(key));
    recent.set(key, analysis);
    while (recent.size > ANALYSES_KEPT) recent.delete(recent.keys().next().value!);
  }
  return analysis;
}

async function analyzeLayers(store: Store, image: ImageRecord): Promise<Analysis> {
  const layers = image.manifest.layers as Descriptor[];
  const indexes: LayerIndex[] = [];
  const stacks: Stack[] = [new Map()];
  const changes: FileChange[][] = [];
  for (const [i, layer] of layers.entries()) {
    const index = await indexLayer(store, layer, image.config.rootfs.diff_ids[i] as Digest | undefined);
    const { changes: c, upper } = diffLayer(stacks[i]!, index);
    indexes.push(index);
    changes.push(c);
    stacks.push(upper);
  }
  return { indexes, stacks, changes };
}

/** `stevedore diff REF`: each layer's changes and the image's efficiency, as dive reports them. */
export async function diffImage(
  store: Store,
  image: ImageRecord,
  name: string,
  options: { summary?: boolean } = {},
): Promise<ImageDiff> {
  const { indexes, stacks, changes } = await analyze(store, image);
  // The efficiency takes tens of milliseconds for thousands of files. A layer's tree asked for
  // with this diff (the Layers tab asks for both) waits on the same analysis: its answer goes out
  // first, in the microtasks before this next turn, and the tab shows files while this computes.
  await setImmediate();
  const history = layerHistory(image);
  const layers = image.manifest.layers as Descriptor[];
  return {
    image: name,
    layers: layers.map((layer, i) => ({
      index: i,
      digest: layer.digest,
      mediaType: layer.mediaType,
      size: layer.size,
      contentSize: indexes[i]!.files.reduce((s, f) => s + f.size, 0),
      createdBy: history[i] ?? '',
      ...summarizeChanges(changes[i]!),
      changes: options.summary ? [] : changes[i]!.filter((c) => c.change !== 'unmodified'),
    })),
    efficiency: computeEfficiency(indexes, stacks),
  };
}

/** The explorer's tree for one layer: its own changes, or the whole filesystem up to it. */
export async function layerTree(store: Store, image: ImageRecord, layer: number, scope: LayerTree['scope']): Promise<LayerTree> {
  const count = image.manifest.layers.length;
  if (!Number.isInteger(layer) || layer < 0 || layer >= count) {
    throw new StevedoreError('INVALID_ARGUMENT', `the image has layers 0 to ${count - 1}; there is no layer ${layer}`);
  }
  const { stacks, changes } = await analyze(store, image);
  const entries = scope === 'layer' ? changes[layer]! : aggregateView(stacks[layer + 1]!, changes[layer]!);
  return { layer, scope, files: toFileTable(entries) };
}

/** Two images: which layers they share, then the files that differ between their root filesystems. */
export async function compareImages(
  store: Store,
  left: ImageRecord,
  right: ImageRecord,
  names: [string, string],
): Promise<ImageComparison> {
  const l = left.manifest.layers.map((x) => x.digest);
  const r = right.manifest.layers.map((x) => x.digest);
  const [a, b] = await Promise.all([analyze(store, left), analyze(store, right)]);
  const from = a.stacks[a.stacks.length - 1]!;
  const to = b.stacks[b.stacks.length - 1]!;
  const changes: FileChange[] = [];
  for (const [path, info] of to) {
    const before = from.get(path);
    if (!before) changes.push({ ...info, change: 'added' });
    else if (!sameFile(before, info)) changes.push({ ...info, change: 'modified' });
  }
  for (const [path, info] of from) if (!to.has(path)) changes.push({ ...info, change: 'removed' });
  return {
    left: names[0],
    right: names[1],
    sharedLayers: l.filter((d) => r.includes(d)),
    leftOnlyLayers: l.filter((d) => !r.includes(d)),
    rightOnlyLayers: r.filter((d) => !l.includes(d)),
    changes: changes.sort((x, y) => byCodeUnits(x.path, y.path)),
  };
}
