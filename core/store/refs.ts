import { type Descriptor, REF_NAME_ANNOTATION } from '../oci/descriptor.js';
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
  const previous = list(index).find((d) => refNameOf(d) === refName);
  let manifests = list(index).filter((d) => refNameOf(d) !== refName);
  manifests = manifests.filter((d) => !(d.digest === target.digest && refNameOf(d) === undefined));
  if (previous && previous.digest !== target.digest && !manifests.some((d) => d.digest === previous.digest)) {
    manifests.push(withoutRefName(previous));
  }
  manifests.push({
    ...withoutRefName(target),
    annotations: { ...withoutRefName(target).annotations, [REF_NAME_ANNOTATION]: refName },
  });
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
