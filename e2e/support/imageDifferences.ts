import type { TreeEntry } from '../../testkit/treeSnapshot.js';

/** One history line as both builders write it. */
export interface HistoryLine {
  created_by: string;
  empty_layer: boolean;
}

/** What two builds of one Dockerfile are compared on. */
export interface BuiltImage {
  /** The image config's top level, without `created`, `history` and `rootfs`. */
  top: Record<string, unknown>;
  /** The runtime config (`config`): Env, Cmd, Entrypoint, WorkingDir, User, Labels, … */
  config: Record<string, unknown>;
  history: HistoryLine[];
  layers: number;
  /** The unpacked root filesystem. */
  tree: Record<string, TreeEntry>;
}

/** A place where the two images disagree: `ours` is Stevedore's, `theirs` buildah's (`undefined`: absent). */
export interface Difference {
  where: string;
  ours: unknown;
  theirs: unknown;
}

interface ImageConfigJson {
  config?: Record<string, unknown>;
  history?: { created_by?: string; empty_layer?: boolean }[];
  rootfs?: { diff_ids?: string[] };
  [key: string]: unknown;
}

/** The config, history and layer count of an image config document. */
export function imageFacts(json: ImageConfigJson, tree: Record<string, TreeEntry>): BuiltImage {
  const { config, history, rootfs, created: _created, ...top } = json;
  return {
    top,
    config: config ?? {},
    history: (history ?? []).map((h) => ({ created_by: h.created_by ?? '', empty_layer: h.empty_layer === true })),
    layers: rootfs?.diff_ids?.length ?? 0,
    tree,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The runtime config's keys that hold a map (`{}` or absent), compared entry by entry. */
const MAPS = new Set(['Labels', 'ExposedPorts', 'Volumes']);
const isMap = (v: unknown): v is Record<string, unknown> | undefined =>
  v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v));

/** An entry as one line: type, mode, owner, and the content's digest, the link's target or the hard-link group. */
export function describeEntry(e: TreeEntry | undefined): string | undefined {
  if (!e) return undefined;
  const what =
    e.type === 'symlink' ? `-> ${e.target}` : e.type === 'file' ? `file ${e.sha256?.slice(0, 12)}` : (e.type as string);
  return `${what} ${e.mode} ${e.uid}:${e.gid}${e.links ? ` links=${e.links.join(',')}` : ''}`;
}

/**
 * Every place where the two images differ, field by field: the config's top level and each
 * runtime config key, the history's length and each line, the layer count, and each path of the
 * root filesystems.
 */
export function differences(ours: BuiltImage, theirs: BuiltImage): Difference[] {
  const out: Difference[] = [];
  for (const key of new Set([...Object.keys(ours.top), ...Object.keys(theirs.top)])) {
    if (!same(ours.top[key], theirs.top[key])) out.push({ where: key, ours: ours.top[key], theirs: theirs.top[key] });
  }
  for (const key of new Set([...Object.keys(ours.config), ...Object.keys(theirs.config)])) {
    const a = ours.config[key];
    const b = theirs.config[key];
    if (MAPS.has(key) && isMap(a) && isMap(b)) {
      // Maps compare entry by entry: their order means nothing.
      for (const k of [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort()) {
        if (!same(a?.[k], b?.[k])) out.push({ where: `config.${key}[${JSON.stringify(k)}]`, ours: a?.[k], theirs: b?.[k] });
      }
    } else if (!same(a, b)) out.push({ where: `config.${key}`, ours: a, theirs: b });
  }
  if (ours.history.length !== theirs.history.length)
    out.push({ where: 'history.length', ours: ours.history.length, theirs: theirs.history.length });
  for (let i = 0; i < Math.max(ours.history.length, theirs.history.length); i++) {
    const a = ours.history[i];
    const b = theirs.history[i];
    if (a?.created_by !== b?.created_by)
      out.push({ where: `history[${i}].created_by`, ours: a?.created_by, theirs: b?.created_by });
    if (a && b && a.empty_layer !== b.empty_layer)
      out.push({ where: `history[${i}].empty_layer`, ours: a.empty_layer, theirs: b.empty_layer });
  }
  if (ours.layers !== theirs.layers) out.push({ where: 'layers', ours: ours.layers, theirs: theirs.layers });
  for (const path of [...new Set([...Object.keys(ours.tree), ...Object.keys(theirs.tree)])].sort()) {
    const a = describeEntry(ours.tree[path]);
    const b = describeEntry(theirs.tree[path]);
    if (a !== b) out.push({ where: `/${path}`, ours: a, theirs: b });
  }
  return out;
}

/** A difference the suite expects, with why: BuildKit's behaviour and where it is written. */
export interface ExpectedDifference {
  /** Which differences it covers; `images` are the two images compared (absent when a build failed). */
  matches: (d: Difference, images?: { ours: BuiltImage; theirs: BuiltImage }) => boolean;
  /** Why they differ, naming who agrees with BuildKit. */
  reason: string;
  /** BuildKit's source or docs (or buildah's, for what only buildah does). */
  source: string;
}

export const show = (d: Difference) => `${d.where}: stevedore ${JSON.stringify(d.ours)} / buildah ${JSON.stringify(d.theirs)}`;
