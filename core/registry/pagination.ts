import type { Scope } from './auth/scope.js';
import type { RegistryClient } from './client.js';
import { header, readBody } from './http.js';

/** The next page a `Link: <url>; rel="next"` header names (distribution-spec: tags and catalog). */
export function nextLink(link: string | undefined): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

const MAX_PAGES = 10_000;

/** GETs a listing page by page, following Link headers, collecting `field` of each JSON page. */
export async function fetchAllPages(
  client: RegistryClient,
  firstPath: string,
  field: 'tags' | 'repositories',
  scopes: Scope[],
  context: { repository?: string },
  signal?: AbortSignal,
  limit?: number,
): Promise<string[]> {
  const out: string[] = [];
  let path: string | undefined = firstPath;
  for (let page = 0; path && page < MAX_PAGES; page++) {
    const res = await client.request({ method: 'GET', path, scopes, ...(signal ? { signal } : {}), context });
    const body = JSON.parse((await readBody(res, 16 << 20)).toString('utf8')) as Record<string, unknown>;
    const items = body[field];
    if (Array.isArray(items)) out.push(...items.filter((i): i is string => typeof i === 'string'));
    if (limit !== undefined && out.length >= limit) return out.slice(0, limit);
    path = nextLink(header(res.headers, 'link'));
  }
  return out;
}
