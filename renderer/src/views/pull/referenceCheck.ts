/*
 * Image references checked as the person types, by the grammar docker uses
 * (distribution/reference, which core/oci/reference.ts implements for the engine). This copy only
 * gives quick feedback: the engine parses again and its answer is the one that counts.
 */

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainPattern = new RegExp(`^(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const pathComponent = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const MAX_NAME_LENGTH = 255;
const DEFAULT_DOMAIN = 'docker.io';

export interface ParsedReference {
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
  /** The full name the engine will store it under: `docker.io/library/busybox:latest`. */
  normalized: string;
}

export type ReferenceCheck = { ok: true; reference: ParsedReference } | { ok: false; problem: string };

const fail = (problem: string): ReferenceCheck => ({ ok: false, problem });

export function checkReference(text: string): ReferenceCheck {
  const input = text.trim();
  if (input === '') return fail('Type an image name, such as busybox or registry.example:5000/team/app:1.0.');
  if (/\s/.test(input)) return fail('A reference has no spaces.');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) return fail(`“${digest}” is not a digest (algorithm:hex, such as sha256:…).`);
    if (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      return fail('A sha256 digest has 64 lowercase hex characters.');
    }
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (tag === '') return fail('The tag after “:” is missing.');
    if (!tagPattern.test(tag))
      return fail(`“${tag}” is not a tag: letters, digits, _ . and -, at most 128, not starting with . or -.`);
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
  if (domain !== DEFAULT_DOMAIN && !domainPattern.test(domain)) return fail(`“${domain}” is not a registry host.`);
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (path === '') return fail('The repository name is missing.');
  if (path !== path.toLowerCase()) return fail('Repository names are lowercase.');
  for (const component of path.split('/')) {
    if (!pathComponent.test(component)) {
      return fail(
        component === ''
          ? 'A repository name has no empty parts (“//”, or “/” at an end).'
          : `“${component}” is not a valid part of a repository name: lowercase letters and digits, separated by . _ __ or -.`,
      );
    }
  }
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;
  if (`${domain}/${path}`.length > MAX_NAME_LENGTH) return fail(`The name is longer than ${MAX_NAME_LENGTH} characters.`);
  if (tag === undefined && digest === undefined) tag = 'latest';
  const normalized = `${domain}/${path}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  return {
    ok: true,
    reference: { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}), normalized },
  };
}

/** A registry host as `registry.add` takes it: a URL's scheme and path are dropped. */
export function registryHost(text: string): string {
  return text
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

export function checkRegistryHost(text: string): string | null {
  const host = registryHost(text);
  if (host === '') return 'Type a host, such as registry.example:5000.';
  return domainPattern.test(host) ? null : `“${host}” is not a host or host:port.`;
}
