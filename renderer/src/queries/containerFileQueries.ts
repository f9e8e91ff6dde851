import { useQuery } from '@tanstack/react-query';
import { invoke } from '../api/client';

/** Apart from `containers`: a containers.changed event need not re-read every open directory. */
export const containerFileKeys = {
  all: (id: string) => ['containerFiles', id] as const,
  directory: (id: string, path: string) => ['containerFiles', id, 'dir', path] as const,
  changes: (id: string) => ['containerFiles', id, 'changes'] as const,
};

/** One directory of the container, read when it is first opened. */
export function useContainerDirectory(id: string, path: string) {
  return useQuery({
    queryKey: containerFileKeys.directory(id, path),
    queryFn: () => invoke('containers.files', { id, path }),
  });
}

/** docker diff of the container; while it runs it may change, so it is read again now and then. */
export function useContainerChanges(id: string, running: boolean) {
  return useQuery({
    queryKey: containerFileKeys.changes(id),
    queryFn: () => invoke('containers.diff', { id }),
    refetchInterval: running ? 5_000 : false,
  });
}
