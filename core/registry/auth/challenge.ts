/** One challenge of a WWW-Authenticate header (RFC 7235): a scheme and its parameters. */
export interface Challenge {
  /** Lower case: `basic`, `bearer`. */
  scheme: string;
  params: Record<string, string>;
}

const item = /([A-Za-z][\w!#$%&'*+.^`|~-]*)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*))?/g;

/**
 * Parses `Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"`
 * and `Basic realm="x"`; one header may hold several challenges. A name without `=` starts a challenge.
 */
export function parseChallenges(header: string | undefined): Challenge[] {
  const out: Challenge[] = [];
  let current: Challenge | undefined;
  for (const [, name, value] of (header ?? '').matchAll(item)) {
    if (value === undefined) {
      current = { scheme: name!.toLowerCase(), params: {} };
      out.push(current);
    } else if (current) {
      current.params[name!.toLowerCase()] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
    }
  }
  return out;
}
