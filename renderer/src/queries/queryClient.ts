import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isDisconnected } from '../api/apiError';
import { useErrorStore } from '../state/errorStore';

/**
 * Engine data lives here. Every failure reaches the error banner, except a lost connection,
 * which the connection banner already says once for all calls.
 */
export function createQueryClient(): QueryClient {
  const { report, resolve } = useErrorStore.getState();
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (err, query) => {
        if (!isDisconnected(err)) report(query.queryHash, err);
      },
      onSuccess: (_data, query) => resolve(query.queryHash),
    }),
    mutationCache: new MutationCache({
      onError: (err, _vars, _ctx, mutation) => {
        if (!isDisconnected(err)) report(`mutation:${mutation.options.mutationKey?.join('.') ?? mutation.mutationId}`, err);
      },
    }),
    defaultOptions: {
      queries: {
        // An engine error (a corrupt store, a missing image) says the same thing on a second try;
        // only a call cut off by a lost connection is worth repeating, once it is back.
        retry: (failures, err) => isDisconnected(err) && failures < 5,
        retryDelay: (failures) => Math.min(500 * 2 ** failures, 5000),
        staleTime: 5_000,
      },
    },
  });
}
