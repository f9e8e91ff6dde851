import { useMutation, useMutationState, useQueryClient } from '@tanstack/react-query';
import { invoke } from '../api/client';
import { containerKeys } from './containerQueries';

export type ContainerAction = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'remove';

/** What a button says while its action runs: a stop can take the container's whole grace period. */
export const pendingLabel: Record<ContainerAction, string> = {
  start: 'Starting…',
  stop: 'Stopping…',
  restart: 'Restarting…',
  kill: 'Killing…',
  pause: 'Pausing…',
  unpause: 'Resuming…',
  remove: 'Removing…',
};

interface ActionVariables {
  action: ContainerAction;
  force?: boolean;
}

const actionKey = (id: string) => ['container-action', id] as const;

function call(action: ContainerAction, id: string, force: boolean): Promise<unknown> {
  switch (action) {
    case 'start':
      return invoke('containers.start', { id });
    case 'stop':
      return invoke('containers.stop', { id });
    case 'restart':
      return invoke('containers.restart', { id });
    case 'kill':
      return invoke('containers.kill', { id });
    case 'pause':
      return invoke('containers.pause', { id });
    case 'unpause':
      return invoke('containers.unpause', { id });
    case 'remove':
      return invoke('containers.remove', { id, force });
  }
}

/**
 * Start, stop, restart, kill, pause, resume or remove one container. A failure goes to the error banner (the mutation
 * cache reports it). A change comes back as the engine's `containers.changed` event (engineEvents
 * refetches on it); a refusal changes nothing and sends none, but often means what the list shows
 * was out of date (the container already gone, or running after all), so that refetches here.
 */
export function useContainerAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: actionKey(id),
    mutationFn: ({ action, force = false }: ActionVariables) => call(action, id, force),
    onError: () => queryClient.invalidateQueries({ queryKey: containerKeys.all }),
  });
}

/**
 * The action under way on this container, from anywhere: the list's row and the detail's header
 * share it, and a row scrolled out and back in still knows.
 */
export function usePendingAction(id: string): ContainerAction | null {
  const pending = useMutationState({
    filters: { mutationKey: actionKey(id), status: 'pending' },
    select: (mutation) => (mutation.state.variables as ActionVariables | undefined)?.action,
  });
  return pending.find((a) => a !== undefined) ?? null;
}
