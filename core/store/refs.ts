import { REF_NAME_ANNOTATION } from '../oci/annotations.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { ImageIndex } from '../oci/manifest.js';

/** Pure edits of index.json's manifest list: names point at digests, like tags in a registry. */

function refNameOf(d: Descriptor): string | undefined {
  return d.annotations?.[REF_NAME_ANNOTATION];
}

function withoutRefName(d: Descriptor): Descriptor {
  const { [REF_NAME_ANNOTATION]: _dropped, ...rest } = d.annotations ?? {};
  const copy: Descriptor = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  if (d.platform) copy.platform = d.platform;
  if (Object.keys(rest).length > 0) copy.annotations = rest;
  return copy;
}

function list(index: ImageIndex): Descriptor[] {
  return index.manifests as Descriptor[];
}

/** Points refName at the descriptor. An image that loses its last name stays, untagged (docker's `<none>`). */
export function setRef(index: ImageIndex, refName: string, target: Descriptor): void {
  setRefs(index, [{ refName, target }]);
}

/** setRef for many names in one pass over the index (a load of thousands of images commits at once). */
export function setRefs(index: ImageIndex, requested: { refName: string; target: Descriptor }[]): void {
  // One name points at one image: when a batch names the same reference twice, the last wins.
  const entries = [...new Map(requested.map((e) => [e.refName, e])).values()];
  const names = new Set(entries.map((e) => e.refName));
  const targets = new Set(entries.map((e) => e.target.digest));
  const named = entries.map(({ refName, target }) => {
    const plain = withoutRefName(target);
    return { ...plain, annotations: { ...plain.annotations, [REF_NAME_ANNOTATION]: refName } };
  });
  // Every name already on an entry just like it (a rebuild tagging its image again): the index
  // stays as it is, in its order too, rather than the entries moving to its end.
  const current = new Map<string, string>();
  let untaggedTarget = false;
  for (const d of list(index)) {
    const name = refNameOf(d);
    if (name === undefined) untaggedTarget ||= targets.has(d.digest);
    else if (names.has(name)) current.set(name, JSON.stringify(d));
  }
  if (!untaggedTarget && named.every((d, i) => current.get(entries[i]!.refName) === JSON.stringify(d))) return;
  const previous = list(index).filter((d) => names.has(refNameOf(d) ?? ''));
  const manifests = list(index).filter((d) => {
    const name = refNameOf(d);
    return name === undefined ? !targets.has(d.digest) : !names.has(name);
  });
  const held = new Set([...manifests.map((d) => d.digest), ...targets]);
  for (const old of previous) {
    if (held.has(old.digest)) continue;
    manifests.push(withoutRefName(old));
    held.add(old.digest);
  }
  manifests.push(...named);
  index.manifests = manifests;
}

/** Keeps an image in the store without a name, unless it already has one. */
export function addUntagged(index: ImageIndex, target: Descriptor): void {
  if (list(index).some((d) => d.digest === target.digest)) return;
  list(index).push(withoutRefName(target));
}

/** Removes one name; returns the digest it pointed at, and whether any entry still holds it. */
export function removeRef(index: ImageIndex, refName: string): { digest: string; stillPresent: boolean } | undefined {
  const entry = list(index).find((d) => refNameOf(d) === refName);
  if (!entry) return undefined;
  index.manifests = list(index).filter((d) => d !== entry);
  return { digest: entry.digest, stillPresent: list(index).some((d) => d.digest === entry.digest) };
}

export function removeDigest(index: ImageIndex, digest: string): string[] {
  const gone = list(index).filter((d) => d.digest === digest);
  index.manifests = list(index).filter((d) => d.digest !== digest);
  return gone.map(refNameOf).filter((n): n is string => n !== undefined);
}
