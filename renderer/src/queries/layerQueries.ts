import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { invoke } from '../api/client';
import { imageKeys } from './imageQueries';

/*
 * What layers change, as the engine computes it (core/layers). A blob never changes, so an
 * answer stays true until the name points at another image, which images.changed reports.
 */
const LAYERS_STALE_MS = 60_000;

export function useImageDiff(ref: string) {
  return useQuery({
    queryKey: imageKeys.diff(ref),
    queryFn: () => invoke('images.diff', { ref }),
    staleTime: LAYERS_STALE_MS,
  });
}

export function useLayerTree(ref: string, layer: number, scope: 'layer' | 'aggregate') {
  return useQuery({
    queryKey: imageKeys.layerTree(ref, layer, scope),
    queryFn: () => invoke('images.layerTree', { ref, layer, scope }),
    staleTime: LAYERS_STALE_MS,
    // Switching layer or scope keeps the old tree on screen until the new one arrives.
    placeholderData: keepPreviousData,
  });
}

export function useImageComparison(left: string | null, right: string | null) {
  return useQuery({
    queryKey: imageKeys.compare(left ?? '', right ?? ''),
    queryFn: () => invoke('images.compare', { left: left ?? '', right: right ?? '' }),
    enabled: left !== null && right !== null,
    staleTime: LAYERS_STALE_MS,
  });
}
