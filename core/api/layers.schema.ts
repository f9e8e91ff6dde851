import { z } from 'zod';
import { enumColumn, numberColumn, optionalStringColumn, sameLength, stringColumn } from './columns.js';

export const fileType = z.enum(['file', 'dir', 'symlink', 'hardlink', 'other']);

/** One path as a layer has it, dive's way: equality is type, content hash, mode, uid, gid (and link target). */
export const fileInfo = z.object({
  path: z.string(),
  type: fileType,
  size: z.number(),
  mode: z.number(),
  uid: z.number(),
  gid: z.number(),
  hash: z.string().optional(),
  linkname: z.string().optional(),
});
export type FileInfo = z.infer<typeof fileInfo>;

export const changeKind = z.enum(['added', 'modified', 'removed', 'unmodified']);
export type ChangeKind = z.infer<typeof changeKind>;

export const fileChange = fileInfo.extend({ change: changeKind });
export type FileChange = z.infer<typeof fileChange>;

export const layerDiff = z.object({
  index: z.number(),
  digest: z.string(),
  mediaType: z.string(),
  /** The blob as stored (compressed). */
  size: z.number(),
  /** The sum of the sizes of the files the layer holds. */
  contentSize: z.number(),
  createdBy: z.string(),
  added: z.number(),
  modified: z.number(),
  removed: z.number(),
  addedBytes: z.number(),
  modifiedBytes: z.number(),
  removedBytes: z.number(),
  /** The changes, sorted by path; `unmodified` entries left out. */
  changes: z.array(fileChange),
});
export type LayerDiff = z.infer<typeof layerDiff>;

export const wastedPath = z.object({ path: z.string(), count: z.number(), totalSize: z.number() });

export const efficiency = z.object({
  /** dive's score: the smallest size each path was ever seen at, over all sizes seen (1 = no waste). */
  score: z.number(),
  /** The sum of all sizes of the paths seen in more than one layer (dive's "potential wasted space"). */
  wastedBytes: z.number(),
  /** Content of every layer but the first, to put the waste in proportion. */
  userSizeBytes: z.number(),
  wasted: z.array(wastedPath),
});
export type Efficiency = z.infer<typeof efficiency>;

export const imageDiff = z.object({ image: z.string(), layers: z.array(layerDiff), efficiency });
export type ImageDiff = z.infer<typeof imageDiff>;

/**
 * Many FileChanges as columns (columns.ts): row i of every column is one path. Absent hashes and
 * link targets are null. Made and read by fileTable.ts.
 */
export const fileTable = z
  .object({
    path: stringColumn,
    type: enumColumn(fileType.options),
    size: numberColumn,
    mode: numberColumn,
    uid: numberColumn,
    gid: numberColumn,
    hash: optionalStringColumn,
    linkname: optionalStringColumn,
    change: enumColumn(changeKind.options),
  })
  .refine(sameLength, 'the columns of a file table differ in length');
export type FileTable = z.infer<typeof fileTable>;

/**
 * A layer's file tree for the explorer: the layer's own changes, or everything up to it. As a
 * table: a layer of thousands of files is the largest answer the app reads.
 */
export const layerTree = z.object({
  layer: z.number(),
  scope: z.enum(['layer', 'aggregate']),
  files: fileTable,
});
export type LayerTree = z.infer<typeof layerTree>;

export const imageComparison = z.object({
  left: z.string(),
  right: z.string(),
  sharedLayers: z.array(z.string()),
  leftOnlyLayers: z.array(z.string()),
  rightOnlyLayers: z.array(z.string()),
  /** From the left image's root filesystem to the right one's. */
  changes: z.array(fileChange),
});
export type ImageComparison = z.infer<typeof imageComparison>;
