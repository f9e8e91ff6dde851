import { StevedoreError } from '../errors.js';

/**
 * Image references as Docker reads them (distribution/reference grammar): an optional registry
 * domain, a repository path, a tag and/or a digest. `busybox` means
 * `docker.io/library/busybox:latest`.
 */
export interface Reference {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainPattern = new RegExp(`^(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
// distribution-spec: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*
const pathComponent = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const MAX_NAME_LENGTH = 255;

function invalid(text: string, why: string): StevedoreError {
  return new StevedoreError('INVALID_REFERENCE', `invalid reference "${text}": ${why}`);
}

export function isValidTag(tag: string): boolean {
  return tagPattern.test(tag);
}

/** Parse and normalize the way `docker pull` does. */
export function parseReference(text: string): Reference {
  const input = text.trim();
  if (input === '') throw invalid(text, 'it is empty');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) throw invalid(text, `"${digest}" is not a valid digest`);
    if (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      throw invalid(text, 'a sha256 digest has 64 lowercase hex characters');
    }
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!tagPattern.test(tag)) throw invalid(text, `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128)`);
  }

  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
    }
  }
  if (domain !== DEFAULT_DOMAIN && !domainPattern.test(domain)) throw invalid(text, `"${domain}" is not a valid registry host`);
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (path === '') throw invalid(text, 'the repository name is missing');
  if (path !== path.toLowerCase()) throw invalid(text, 'repository names must be lowercase');
  for (const component of path.split('/')) {
    if (!pathComponent.test(component)) {
      throw invalid(text, `"${component}" is not a valid repository name component`);
    }
  }
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `${OFFICIAL_PREFIX}${path}`;
  if (`${domain}/${path}`.length > MAX_NAME_LENGTH) throw invalid(text, `the name is longer than ${MAX_NAME_LENGTH} characters`);
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Parse text that must name a repository and tag (the target of `tag`, `--name`): no digest. */
export function parseTaggedReference(text: string): Reference & { tag: string } {
  const ref = parseReference(text);
  if (ref.digest !== undefined) throw invalid(text, 'a digest cannot be the target of a tag');
  return ref as Reference & { tag: string };
}

export function repositoryOf(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The fully qualified form: `docker.io/library/busybox:latest`. */
export function formatReference(ref: Reference): string {
  let out = repositoryOf(ref);
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}

/** The short form Docker shows people: `busybox`, `user/app`, `host:5000/app`. */
export function familiarRepository(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryOf(ref);
  return ref.path.startsWith(OFFICIAL_PREFIX) ? ref.path.slice(OFFICIAL_PREFIX.length) : ref.path;
}

export function familiarReference(ref: Reference): string {
  let out = familiarRepository(ref);
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}

export function normalizeReference(text: string): string {
  return formatReference(parseReference(text));
}
