import { type QueryClient, useQuery } from '@tanstack/react-query';
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
  /** Containers change it too: engineEvents invalidates it on containers.changed as well. */
  inUse: () => ['images', 'inUse'] as const,
  prunePreview: (all: boolean) => ['images', 'prunePreview', all] as const,
  /** The store's disk use: images, containers and builds all change it. */
  diskUsage: () => ['images', 'diskUsage'] as const,
};

const imageListQuery = { queryKey: imageKeys.list(), queryFn: () => invoke('images.list', {}) };

export function useImageList() {
  return useQuery(imageListQuery);
}

/**
 * Asks for the image list as the window starts, before React's first render: the sidebar's count
 * and the Images view both wait for it, and the engine's answer (a good part of the first row's
 * time at 1,000 images) then overlaps the first render instead of following it.
 */
export function prefetchImageList(client: QueryClient): Promise<void> {
  return client.prefetchQuery(imageListQuery);
}

export function useImageDetail(ref: string | null) {
  return useQuery({
    queryKey: imageKeys.inspect(ref ?? ''),
    queryFn: () => invoke('images.inspect', { ref: ref ?? '' }),
    enabled: ref !== null,
  });
}

/** Image ID → the containers (by name) standing on it. */
export function useImagesInUse() {
  return useQuery({
    queryKey: imageKeys.inUse(),
    queryFn: async () => new Map((await invoke('images.inUse', {})).map((u) => [u.id, u.containers])),
  });
}

/** What a prune would take and give back, asked of the engine without taking anything. */
export function usePrunePreview(all: boolean) {
  return useQuery({
    queryKey: imageKeys.prunePreview(all),
    queryFn: () => invoke('images.prune', { all, dryRun: true }),
  });
}

/**
 * `after`: asked only once that is true. Summing the store's disk use takes the engine a good
 * part of a second at 1,000 images; the Images view asks after its list has come, so the two do
 * not share the engine's first moments (issue 19: the first row within 0.5 s).
 */
export function useDiskUsage(after = true) {
  return useQuery({ queryKey: imageKeys.diskUsage(), queryFn: () => invoke('store.df', {}), enabled: after });
}
