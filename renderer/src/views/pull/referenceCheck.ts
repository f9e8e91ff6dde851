/*
 * Image references checked as the person types, with the engine's own grammar
 * (core/api/referenceGrammar.ts) worded for the app. The engine parses again on submit; its
 * answer is the one that counts.
 */
import {
  domainPattern,
  formatReferenceParts,
  parseReferenceParts,
  type ReferenceParts,
  type ReferenceProblem,
} from '../../../../core/api/referenceGrammar';

export interface ParsedReference extends ReferenceParts {
  /** The full name the engine will store it under: `docker.io/library/busybox:latest`. */
  normalized: string;
}

export type ReferenceCheck = { ok: true; reference: ParsedReference } | { ok: false; problem: string };

function sentence(problem: ReferenceProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'Type an image name, such as busybox or registry.example:5000/team/app:1.0.';
    case 'whitespace':
      return 'A reference has no spaces.';
    case 'digest':
      return `“${problem.digest}” is not a digest (algorithm:hex, such as sha256:…).`;
    case 'sha256Length':
      return 'A sha256 digest has 64 lowercase hex characters.';
    case 'emptyTag':
      return 'The tag after “:” is missing.';
    case 'tag':
      return `“${problem.tag}” is not a tag: letters, digits, _ . and -, at most 128, not starting with . or -.`;
    case 'domain':
      return `“${problem.domain}” is not a registry host.`;
    case 'noRepository':
      return 'The repository name is missing.';
    case 'uppercase':
      return 'Repository names are lowercase.';
    case 'component':
      return problem.component === ''
        ? 'A repository name has no empty parts (“//”, or “/” at an end).'
        : `“${problem.component}” is not a valid part of a repository name: lowercase letters and digits, separated by . _ __ or -.`;
    case 'tooLong':
      return `The name is longer than ${problem.max} characters.`;
  }
}

export function checkReference(text: string): ReferenceCheck {
  const parsed = parseReferenceParts(text);
  if (!parsed.ok) return { ok: false, problem: sentence(parsed.problem) };
  return { ok: true, reference: { ...parsed.reference, normalized: formatReferenceParts(parsed.reference) } };
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
