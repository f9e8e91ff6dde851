import { useQuery } from '@tanstack/react-query';
import { invoke } from '../api/client';

export function useEngineInfo() {
  // The version and root do not change while the engine runs.
  return useQuery({
    queryKey: ['engine', 'info'],
    queryFn: () => invoke('engine.info', {}),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
