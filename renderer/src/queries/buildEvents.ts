import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { subscribe } from '../api/client';
import { stampEvent } from './buildEventClock';
import { applyToBuild, applyToList, type BuildEvent, eventBuildId } from './buildMerge';
import { type BuildList, buildKeys, type LiveBuild } from './buildQueries';

/** A noisy RUN writes many chunks a second: they are drawn in one render per interval. */
const FLUSH_MS = 100;

/**
 * Keeps the build history and open builds current for the life of the window: `build.progress`,
 * `build.output` and `build.ended` are applied to what builds.list and builds.inspect answered
 * (buildMerge.ts), output in batches, steps and ends at once. A reconnect refetches everything
 * (useEngineEvents), since events sent while the socket was down are lost.
 */
export function useBuildEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    let pending: BuildEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const events = pending;
      pending = [];
      if (events.length === 0) return;
      for (const id of new Set(events.map(eventBuildId))) {
        queryClient.setQueryData<LiveBuild | null>(buildKeys.inspect(id), (build) =>
          build ? applyToBuild(build, events) : build,
        );
      }
      let unknown = false;
      queryClient.setQueryData<BuildList>(buildKeys.list, (list) => {
        if (!list) return list;
        const merged = applyToList(list, events);
        unknown = merged.unknown;
        return merged.list;
      });
      if (unknown) void queryClient.invalidateQueries({ queryKey: buildKeys.list });
    };
    const queue = (event: BuildEvent, now: boolean) => {
      pending.push(event);
      if (now) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    };
    const offProgress = subscribe('build.progress', ({ buildId, step }) =>
      queue({ kind: 'progress', stamp: stampEvent(), buildId, step }, true),
    );
    const offOutput = subscribe('build.output', ({ buildId, ...output }) =>
      queue({ kind: 'output', stamp: stampEvent(), buildId, output }, false),
    );
    const offEnded = subscribe('build.ended', (summary) => queue({ kind: 'ended', stamp: stampEvent(), summary }, true));
    return () => {
      offProgress();
      offOutput();
      offEnded();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [queryClient]);
}
