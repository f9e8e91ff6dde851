import { useQuery } from '@tanstack/react-query';
import { invoke } from '../api/client';
import { imageKeys } from './imageQueries';

/** Every blob of every image, once: the DAG tab takes its image's part, the store graph all of it. */
export function useStoreDag() {
  return useQuery({
    queryKey: imageKeys.dag(),
    queryFn: () => invoke('images.dag', {}),
    // images.changed (or a reconnect) refetches it; until then a big store's DAG is not re-read on every visit.
    staleTime: 60_000,
  });
}
