import { posix } from 'node:path';

/** image-spec layer.md: `.wh.<name>` deletes `<name>`; `.wh..wh..opq` hides all a directory had below. */
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

export type WhiteoutKind = { kind: 'opaque'; dir: string } | { kind: 'remove'; target: string } | undefined;

export function classifyWhiteout(path: string): WhiteoutKind {
  const base = posix.basename(path);
  if (!base.startsWith(WHITEOUT_PREFIX)) return undefined;
  const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  const name = base.slice(WHITEOUT_PREFIX.length);
  return { kind: 'remove', target: dir ? `${dir}/${name}` : name };
}
