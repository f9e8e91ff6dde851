/** docker's `label=KEY` (any value) or `label=KEY=VALUE` filter, against an object's labels. */
export function matchesLabel(labels: Record<string, string> | undefined, filter: string): boolean {
  const at = filter.indexOf('=');
  const key = at < 0 ? filter : filter.slice(0, at);
  const own = labels ?? {};
  return Object.hasOwn(own, key) && (at < 0 || own[key] === filter.slice(at + 1));
}
