import { CATALOG_SCOPE } from './auth/scope.js';
import type { RegistryClient } from './client.js';
import { fetchAllPages } from './pagination.js';

const PAGE_SIZE = 1000;

/** `GET /v2/_catalog?n=…`, every page (or up to `limit`); many registries allow it only to admins. */
export async function listCatalog(
  client: RegistryClient,
  options: { signal?: AbortSignal; limit?: number; pageSize?: number } = {},
): Promise<string[]> {
  const n = options.pageSize ?? Math.min(PAGE_SIZE, options.limit ?? PAGE_SIZE);
  return fetchAllPages(client, `/v2/_catalog?n=${n}`, 'repositories', [CATALOG_SCOPE], {}, options.signal, options.limit);
}
