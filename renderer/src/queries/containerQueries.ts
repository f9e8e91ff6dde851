import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/apiError';
import { invoke } from '../api/client';

/** Query keys under one prefix, so a containers.changed event can invalidate all of them at once. */
export const containerKeys = {
  all: ['containers'] as const,
  list: (all: boolean) => ['containers', 'list', all] as const,
  inspect: (id: string) => ['containers', 'inspect', id] as const,
};

export function useContainerList(all: boolean) {
  return useQuery({ queryKey: containerKeys.list(all), queryFn: () => invoke('containers.list', { all }) });
}

/**
 * One container, inspected; null once it is gone (removed here, by the CLI, or by `--rm`): a
 * detail left open on it says so instead of raising an error banner.
 */
export function useContainerDetail(id: string | null) {
  return useQuery({
    queryKey: containerKeys.inspect(id ?? ''),
    queryFn: async () => {
      try {
        return await invoke('containers.inspect', { id: id ?? '' });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
    enabled: id !== null,
  });
}
