import { useQuery } from '@tanstack/react-query';
import { invoke } from '../api/client';

/**
 * Networks have no event of their own: what the app changes refetches the list, and a container
 * event (one joined or left) does too (engineEvents.ts).
 */
export const networkKeys = { all: ['networks'] as const };

/** Every network, the built-in three first, each with the containers that name it. */
export function useNetworkList() {
  return useQuery({ queryKey: networkKeys.all, queryFn: () => invoke('networks.list', {}) });
}
