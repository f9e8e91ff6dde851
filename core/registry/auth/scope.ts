/**
 * Token scopes (distribution docs/spec/auth/scope.md): `repository:<name>:<actions>`, e.g.
 * `repository:library/busybox:pull`, `repository:app:pull,push`, `registry:catalog:*`.
 */
export type Scope = string;

export function repositoryScope(repository: string, actions: ('pull' | 'push')[]): Scope {
  return `repository:${repository}:${actions.join(',')}`;
}

export const CATALOG_SCOPE: Scope = 'registry:catalog:*';

/** Merges scopes naming the same resource (`a:pull` + `a:push` = `a:pull,push`), in a stable order. */
export function mergeScopes(scopes: Scope[]): Scope[] {
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes) {
    const last = scope.lastIndexOf(':');
    if (last === -1) continue;
    const resource = scope.slice(0, last);
    const actions = byResource.get(resource) ?? new Set<string>();
    for (const a of scope.slice(last + 1).split(',')) if (a) actions.add(a);
    byResource.set(resource, actions);
  }
  return [...byResource.entries()].map(([resource, actions]) => `${resource}:${[...actions].sort().join(',')}`).sort();
}

/** True when `held` grants at least what `wanted` asks. */
export function covers(held: Scope[], wanted: Scope[]): boolean {
  const merged = new Set(mergeScopes(held).flatMap(expand));
  return mergeScopes(wanted)
    .flatMap(expand)
    .every((s) => merged.has(s));
}

function expand(scope: Scope): string[] {
  const last = scope.lastIndexOf(':');
  return scope
    .slice(last + 1)
    .split(',')
    .map((a) => `${scope.slice(0, last)}:${a}`);
}
