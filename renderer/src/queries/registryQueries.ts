import { useQuery } from '@tanstack/react-query';
import { ApiError, isDisconnected } from '../api/apiError';
import { invoke } from '../api/client';

export const registryKeys = {
  all: ['registries'] as const,
  list: () => ['registries', 'list'] as const,
  catalog: (host: string) => ['registries', 'catalog', host] as const,
  tags: (repository: string) => ['registries', 'tags', repository] as const,
};

/** An answer, or the registry's refusal: shown where it was asked for, not in the error banner. */
export type Answer<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** A registry's refusal (no catalog for this account, no such repository) is an answer to show; a lost engine is not. */
async function answer<T>(call: Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await call };
  } catch (err) {
    if (isDisconnected(err)) throw err;
    if (err instanceof ApiError) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
}

export function useRegistryList() {
  return useQuery({ queryKey: registryKeys.list(), queryFn: () => invoke('registry.list', {}) });
}

/** How many repositories the catalog lists at most; more is a registry to search, not to scroll. */
export const CATALOG_LIMIT = 1000;

export function useCatalog(host: string | null) {
  return useQuery({
    queryKey: registryKeys.catalog(host ?? ''),
    queryFn: () => answer(invoke('registry.catalog', { registry: host ?? '', limit: CATALOG_LIMIT })),
    enabled: host !== null,
    staleTime: 30_000,
  });
}

export function useTags(repository: string | null) {
  return useQuery({
    queryKey: registryKeys.tags(repository ?? ''),
    queryFn: () => answer(invoke('registry.tags', { repository: repository ?? '' })),
    enabled: repository !== null,
    staleTime: 15_000,
  });
}
