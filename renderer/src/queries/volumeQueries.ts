import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { invoke } from '../api/client';

/** Volumes have no event of their own: what changes them here refetches the list. */
export const volumeKeys = { all: ['volumes'] as const };

export function useVolumeList() {
  return useQuery({ queryKey: volumeKeys.all, queryFn: () => invoke('volumes.list', {}) });
}

/** Create, remove or prune; a failure goes to the error banner (the mutation cache reports it). */
export function useVolumeCreate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => invoke('volumes.create', name ? { name } : {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: volumeKeys.all }),
  });
}

export function useVolumeRemove() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => invoke('volumes.remove', { name }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: volumeKeys.all }),
  });
}

export function useVolumePrune() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (all: boolean) => invoke('volumes.prune', { all }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: volumeKeys.all }),
  });
}
