import { formatReferenceParts, parseReferenceParts } from './referenceGrammar.js';

/** What a stored image is found by: its full names, its ID (the config digest), and the digests of its index entry and manifest. */
export interface MatchableImage {
  names: string[];
  id: string;
  /** The index.json entry's digest first (what tells images apart), then the manifest's. */
  digests: string[];
}

export type ImageMatch<T> =
  | { kind: 'found'; image: T }
  | { kind: 'ambiguous'; images: T[] }
  /** `badName`: the text was not a reference either (the grammar's problem, for the engine to say). */
  | { kind: 'none'; badName: boolean };

/**
 * The one rule the engine and the app find a stored image by, as docker does: a name (normalized,
 * so `busybox` is `docker.io/library/busybox:latest`), `repo@digest` by its index or manifest
 * digest, else an image ID or a prefix of it (3 hex digits at least, `sha256:` optional) or a whole
 * index or manifest digest. A prefix several images share is ambiguous, except with `forRootfs`
 * when they share one config: what runs is the config's, so any of them will do.
 */
export function matchImage<T>(
  images: T[],
  text: string,
  view: (image: T) => MatchableImage,
  options: { forRootfs?: boolean } = {},
): ImageMatch<T> {
  const views = images.map((image) => ({ image, ...view(image) }));
  const parsed = parseReferenceParts(text);
  if (parsed.ok) {
    const full = formatReferenceParts(parsed.reference);
    const byName = views.find((v) => v.names.includes(full));
    if (byName) return { kind: 'found', image: byName.image };
    const digest = parsed.reference.digest;
    if (digest) {
      const byDigest = views.find((v) => v.digests.includes(digest));
      if (byDigest) return { kind: 'found', image: byDigest.image };
    }
  }
  const hex = text.startsWith('sha256:') ? text.slice('sha256:'.length) : text;
  if (/^[a-f0-9]{3,64}$/.test(hex)) {
    const matches = views.filter((v) => v.id.slice('sha256:'.length).startsWith(hex) || v.digests.includes(`sha256:${hex}`));
    const distinct = new Set(matches.map((m) => m.digests[0]));
    if (distinct.size > 1 && options.forRootfs && new Set(matches.map((m) => m.id)).size === 1) {
      const first = [...matches].sort((a, b) => ((a.digests[0] ?? '') < (b.digests[0] ?? '') ? -1 : 1))[0]!;
      return { kind: 'found', image: first.image };
    }
    if (distinct.size > 1) return { kind: 'ambiguous', images: matches.map((m) => m.image) };
    if (matches[0]) return { kind: 'found', image: matches[0].image };
  }
  return { kind: 'none', badName: !parsed.ok && !/^[a-f0-9]+$/.test(hex) };
}
