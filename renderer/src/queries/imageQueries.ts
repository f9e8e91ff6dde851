import { useQuery } from '@tanstack/react-query';
import { invoke } from '../api/client';

/** Query keys under one prefix, so an images.changed event can invalidate all of them at once. */
export const imageKeys = {
  all: ['images'] as const,
  list: () => ['images', 'list'] as const,
  inspect: (ref: string) => ['images', 'inspect', ref] as const,
};

export function useImageList() {
  return useQuery({ queryKey: imageKeys.list(), queryFn: () => invoke('images.list', {}) });
}

export function useImageDetail(ref: string | null) {
  return useQuery({
    queryKey: imageKeys.inspect(ref ?? ''),
    queryFn: () => invoke('images.inspect', { ref: ref ?? '' }),
    enabled: ref !== null,
  });
}
