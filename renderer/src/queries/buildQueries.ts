import { useQuery } from '@tanstack/react-query';
import type { BuildDetail, BuildSummary } from '../../../core/api/builds.schema';
import { ApiError } from '../api/apiError';
import { invoke } from '../api/client';
import { lastEventStamp } from './buildEventClock';

/** Query keys under one prefix, so a reconnect (or a new build) can refetch all of them at once. */
export const buildKeys = {
  all: ['builds'] as const,
  list: ['builds', 'list'] as const,
  inspect: (id: string) => ['builds', 'inspect', id] as const,
};

/** An answer from the engine with the stamp of the last build event received before it (see buildEventClock). */
export interface BuildList {
  builds: BuildSummary[];
  eventMark: number;
}
export type LiveBuild = BuildDetail & { eventMark: number };

/** The build history, newest first; build events keep it current between fetches (buildEvents.ts). */
export function useBuildList() {
  return useQuery({
    queryKey: buildKeys.list,
    queryFn: async (): Promise<BuildList> => {
      const builds = await invoke('builds.list', {});
      return { builds, eventMark: lastEventStamp() };
    },
  });
}

/**
 * One build with its steps and output; null when the history has no such build. Its output grows
 * by events while it runs, so the data is replaced rather than compared deeply on each change.
 */
export function useBuildDetail(id: string | null) {
  return useQuery({
    queryKey: buildKeys.inspect(id ?? ''),
    queryFn: async (): Promise<LiveBuild | null> => {
      try {
        const build = await invoke('builds.inspect', { buildId: id ?? '' });
        return { ...build, eventMark: lastEventStamp() };
      } catch (err) {
        if (err instanceof ApiError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
    enabled: id !== null,
    structuralSharing: false,
  });
}
