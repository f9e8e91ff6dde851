/**
 * Image references as Docker reads them (distribution/reference grammar), shared by the engine
 * (core/oci/reference.ts) and the app (to check a reference as it is typed). It says *what* is
 * wrong; each face words it.
 */
export interface ReferenceParts {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

export type ReferenceProblem =
  | { kind: 'empty' }
  | { kind: 'whitespace' }
  | { kind: 'digest'; digest: string }
  | { kind: 'sha256Length' }
  | { kind: 'emptyTag' }
  | { kind: 'tag'; tag: string }
  | { kind: 'domain'; domain: string }
  | { kind: 'noRepository' }
  | { kind: 'uppercase' }
  | { kind: 'component'; component: string }
  | { kind: 'tooLong'; max: number };

export type ReferenceParse = { ok: true; reference: ReferenceParts } | { ok: false; problem: ReferenceProblem };

export const DEFAULT_DOMAIN = 'docker.io';
export const OFFICIAL_PREFIX = 'library/';
const LEGACY_DOMAIN = 'index.docker.io';
export const MAX_NAME_LENGTH = 255;

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
export const domainPattern = new RegExp(`^(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
// distribution-spec: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*
const pathComponent = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

export function isValidTag(tag: string): boolean {
  return tagPattern.test(tag);
}

const fail = (problem: ReferenceProblem): ReferenceParse => ({ ok: false, problem });

/** Parse and normalize the way `docker pull` does: `busybox` is `docker.io/library/busybox:latest`. */
export function parseReferenceParts(text: string): ReferenceParse {
  const input = text.trim();
  if (input === '') return fail({ kind: 'empty' });
  if (/\s/.test(input)) return fail({ kind: 'whitespace' });

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) return fail({ kind: 'digest', digest });
    if (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) return fail({ kind: 'sha256Length' });
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (tag === '') return fail({ kind: 'emptyTag' });
    if (!tagPattern.test(tag)) return fail({ kind: 'tag', tag });
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
  if (domain !== DEFAULT_DOMAIN && !domainPattern.test(domain)) return fail({ kind: 'domain', domain });
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (path === '') return fail({ kind: 'noRepository' });
  if (path !== path.toLowerCase()) return fail({ kind: 'uppercase' });
  for (const component of path.split('/')) {
    if (!pathComponent.test(component)) return fail({ kind: 'component', component });
  }
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `${OFFICIAL_PREFIX}${path}`;
  if (`${domain}/${path}`.length > MAX_NAME_LENGTH) return fail({ kind: 'tooLong', max: MAX_NAME_LENGTH });
  if (tag === undefined && digest === undefined) tag = 'latest';
  return {
    ok: true,
    reference: { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) },
  };
}

/** The fully qualified form: `docker.io/library/busybox:latest`. */
export function formatReferenceParts(ref: ReferenceParts): string {
  return `${ref.domain}/${ref.path}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
