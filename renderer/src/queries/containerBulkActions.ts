import { useMutation, useQueryClient } from '@tanstack/react-query';
import { invoke } from '../api/client';
import { containerKeys } from './containerQueries';

interface BulkVariables {
  action: 'stop' | 'remove';
  ids: readonly string[];
}

/**
 * Stops or removes several containers at once (remove with force: a running one is killed first).
 * Each goes on its own, so one refusal does not keep the others; the first refusal then goes to the
 * error banner (the mutation cache reports it), naming how many failed.
 */
export function useContainerBulkAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['container-bulk-action'],
    mutationFn: async ({ action, ids }: BulkVariables) => {
      const results = await Promise.allSettled(
        ids.map((id) =>
          action === 'stop' ? invoke('containers.stop', { id }) : invoke('containers.remove', { id, force: true }),
        ),
      );
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0) throw failed[0]?.reason;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: containerKeys.all }),
  });
}
