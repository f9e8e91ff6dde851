import { keepPreviousData, type QueryClient, usePrefetchQuery, useQuery } from '@tanstack/react-query';
import { invoke } from '../api/client';
import { imageKeys } from './imageQueries';

/*
 * What layers change, as the engine computes it (core/layers). A blob never changes, so an
 * answer stays true until the name points at another image, which images.changed reports.
 */
const LAYERS_STALE_MS = 60_000;

/**
 * Each layer's counts and the image's efficiency. The summary only: the files come from
 * images.layerTree, one layer at a time, so the changes of every layer need not cross the wire
 * (a megabyte for a 3,000-file layer) nor be parsed and checked before the tab can show.
 */
export function useImageDiff(ref: string) {
  return useQuery(imageDiffQuery(ref));
}

const imageDiffQuery = (ref: string) => ({
  queryKey: imageKeys.diff(ref),
  queryFn: () => invoke('images.diff', { ref, summary: true }),
  staleTime: LAYERS_STALE_MS,
});

const layerTreeQuery = (ref: string, layer: number, scope: 'layer' | 'aggregate') => ({
  queryKey: imageKeys.layerTree(ref, layer, scope),
  queryFn: () => invoke('images.layerTree', { ref, layer, scope }),
  staleTime: LAYERS_STALE_MS,
});

export function useLayerTree(ref: string, layer: number, scope: 'layer' | 'aggregate') {
  return useQuery({
    ...layerTreeQuery(ref, layer, scope),
    // Switching layer or scope keeps the old tree on screen until the new one arrives.
    placeholderData: keepPreviousData,
  });
}

/**
 * Asks for a layer's tree now, before the view that shows it mounts: the Layers tab asks for its
 * first layer's files alongside the diff instead of after it (one engine round trip, not two; the
 * engine analyzes the image once for both).
 */
export function usePrefetchLayerTree(ref: string, layer: number, scope: 'layer' | 'aggregate') {
  usePrefetchQuery(layerTreeQuery(ref, layer, scope));
}

export function useImageComparison(left: string | null, right: string | null) {
  return useQuery({
    queryKey: imageKeys.compare(left ?? '', right ?? ''),
    queryFn: () => invoke('images.compare', { left: left ?? '', right: right ?? '' }),
    enabled: left !== null && right !== null,
    staleTime: LAYERS_STALE_MS,
  });
}

/**
 * What the Layers tab shows first (the diff, the first layer's files), asked for as the tab is
 * chosen: the engine works on it while the page switches tabs (5–9 ms from the click to the tab's
 * own queries on the benchmark machine). Answers held already are not asked again.
 */
export function prefetchLayersTab(client: QueryClient, ref: string): void {
  // The files first: the engine answers in the order asked, and the diff's efficiency, computed
  // over every layer, takes longest (the tab shows the files without it).
  void client.prefetchQuery(layerTreeQuery(ref, 0, 'layer'));
  void client.prefetchQuery(imageDiffQuery(ref));
}
