import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { invoke } from '../api/client';

const runtimeKey = ['runtime', 'status'] as const;

/**
 * What runs containers and its machine's state. A machine changes on its own (another process
 * starts it, it boots, QEMU dies), and nothing tells the engine: polled, often while it starts.
 */
export function useRuntimeStatus() {
  return useQuery({
    queryKey: runtimeKey,
    queryFn: () => invoke('runtime.status', {}),
    refetchInterval: (query) => (query.state.data?.machine?.state === 'starting' ? 1000 : 3000),
  });
}

/** Start or stop the machine; its failure goes to the error banner. */
export function useMachineAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: 'start' | 'stop') => invoke('runtime.machine', { action }),
    onSettled: () => client.invalidateQueries({ queryKey: runtimeKey }),
    onSuccess: (status) => client.setQueryData(runtimeKey, status),
  });
}
