import { useQuery } from '@tanstack/react-query';
import { invoke } from '../api/client';

/** Query keys under one prefix, so an images.changed event can invalidate all of them at once. */
export const imageKeys = {
  all: ['images'] as const,
  list: () => ['images', 'list'] as const,
  inspect: (ref: string) => ['images', 'inspect', ref] as const,
  diff: (ref: string) => ['images', 'diff', ref] as const,
  layerTree: (ref: string, layer: number, scope: 'layer' | 'aggregate') => ['images', 'layerTree', ref, layer, scope] as const,
  compare: (left: string, right: string) => ['images', 'compare', left, right] as const,
  /** The whole store's DAG: the store graph draws it, and the DAG tab reads who else uses a blob from it. */
  dag: () => ['images', 'dag'] as const,
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
