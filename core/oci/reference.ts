import {
  DEFAULT_DOMAIN,
  formatReferenceParts,
  OFFICIAL_PREFIX,
  parseReferenceParts,
  type ReferenceParts,
  type ReferenceProblem,
} from '../api/referenceGrammar.js';
import { StevedoreError } from '../errors.js';

export { DEFAULT_DOMAIN, isValidTag } from '../api/referenceGrammar.js';

/**
 * Image references as Docker reads them (distribution/reference grammar): an optional registry
 * domain, a repository path, a tag and/or a digest. `busybox` means
 * `docker.io/library/busybox:latest`.
 */
export type Reference = ReferenceParts;

function why(problem: ReferenceProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'it is empty';
    case 'whitespace':
      return 'it contains white space';
    case 'digest':
      return `"${problem.digest}" is not a valid digest`;
    case 'sha256Length':
      return 'a sha256 digest has 64 lowercase hex characters';
    case 'emptyTag':
      return 'the tag after ":" is missing';
    case 'tag':
      return `"${problem.tag}" is not a valid tag (letters, digits, _ . -, at most 128)`;
    case 'domain':
      return `"${problem.domain}" is not a valid registry host`;
    case 'noRepository':
      return 'the repository name is missing';
    case 'uppercase':
      return 'repository names must be lowercase';
    case 'component':
      return `"${problem.component}" is not a valid repository name component`;
    case 'tooLong':
      return `the name is longer than ${problem.max} characters`;
  }
}

/** Parse and normalize the way `docker pull` does (grammar in core/api/referenceGrammar.ts). */
export function parseReference(text: string): Reference {
  const parsed = parseReferenceParts(text);
  if (!parsed.ok) throw new StevedoreError('INVALID_REFERENCE', `invalid reference "${text}": ${why(parsed.problem)}`);
  return parsed.reference;
}

/**
 * Parse text that must name a repository alone (`tags`, `pull -a`, `push -a`): a tag or digest is
 * refused. Looked for as the grammar reads them, before it names an untagged reference latest.
 */
export function parseRepository(text: string): Reference {
  const trimmed = text.trim();
  if (trimmed.includes('@') || trimmed.lastIndexOf(':') > trimmed.lastIndexOf('/')) {
    throw new StevedoreError('INVALID_ARGUMENT', `name a repository, without a tag or digest: ${text}`);
  }
  return parseReference(trimmed);
}

/** Parse text that must name a repository and tag (the target of `tag`, `--name`): no digest. */
export function parseTaggedReference(text: string): Reference & { tag: string } {
  const ref = parseReference(text);
  if (ref.digest !== undefined) {
    throw new StevedoreError('INVALID_REFERENCE', `invalid reference "${text}": a digest cannot be the target of a tag`);
  }
  return ref as Reference & { tag: string };
}

export function repositoryOf(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The fully qualified form: `docker.io/library/busybox:latest`. */
export function formatReference(ref: Reference): string {
  return formatReferenceParts(ref);
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
