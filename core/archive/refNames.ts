import { basename } from 'node:path';
import { StevedoreError } from '../errors.js';
import { REF_NAME_ANNOTATION } from '../oci/annotations.js';
import { formatReference, isValidTag, parseReference, parseTaggedReference } from '../oci/reference.js';

/** containerd and Docker 25+ put the full name here and only the tag in ref.name. */
export const CONTAINERD_NAME_ANNOTATION = 'io.containerd.image.name';

/** `localhost/<basename of PATH>`, made into a valid repository name. */
export function defaultRepository(path: string): string {
  const base = basename(path.replace(/\/+$/, ''))
    .replace(/\.(tar|tgz|tar\.gz|oci|ociarchive)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return `localhost/${base || 'image'}`;
}

/** The repository given with --name, checked: `--name app` means `docker.io/library/app`, as docker reads it. */
export function repositoryFromName(name: string): string {
  const ref = parseReference(name);
  if (ref.digest !== undefined || /:[^/]*$/.test(name)) {
    throw new StevedoreError('INVALID_ARGUMENT', `--name takes a repository without tag or digest, got "${name}"`);
  }
  return `${ref.domain}/${ref.path}`;
}

/**
 * The full reference an image layout's entry names: a complete reference is normalized; a bare
 * tag (what umoci and skopeo's `oci:dir:tag` write) is joined to the repository.
 */
export function refNameFromLayout(annotations: Record<string, string> | undefined, repository: string): string | undefined {
  const full = annotations?.[CONTAINERD_NAME_ANNOTATION];
  if (full) return formatReference(parseTaggedReference(full));
  const name = annotations?.[REF_NAME_ANNOTATION];
  if (!name) return undefined;
  if (!name.includes('/') && !name.includes(':') && isValidTag(name)) return `${repository}:${name}`;
  return formatReference(parseTaggedReference(name));
}
