import { repositoryScope } from './auth/scope.js';
import type { RegistryClient } from './client.js';
import { fetchAllPages } from './pagination.js';

const PAGE_SIZE = 1000;

/** `GET /v2/<name>/tags/list?n=…`, following the Link header through every page. */
export async function listTags(
  client: RegistryClient,
  repository: string,
  options: { signal?: AbortSignal; pageSize?: number } = {},
): Promise<string[]> {
  return fetchAllPages(
    client,
    `/v2/${repository}/tags/list?n=${options.pageSize ?? PAGE_SIZE}`,
    'tags',
    [repositoryScope(repository, ['pull'])],
    { repository },
    options.signal,
  );
}
