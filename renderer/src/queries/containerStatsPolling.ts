import { useEffect } from 'react';
import { invoke } from '../api/client';
import { useContainerStatsStore } from '../state/containerStatsStore';

/** After a failed measure (a container stopped as it was read), wait this long before the next. */
const RETRY_MS = 1000;

/**
 * Measures these containers again and again while the caller is mounted: `containers.stats` itself
 * takes about a second (CPU is a difference over time), so each answer starts the next call. The
 * samples go to the shared stats store. With `forgetOthers` (the list, which sees every running
 * container), ids no longer listed lose theirs.
 */
export function useContainerStatsPolling(ids: readonly string[], forgetOthers = false): void {
  const key = [...ids].sort().join(',');
  useEffect(() => {
    const list = key ? key.split(',') : [];
    const { add, keep } = useContainerStatsStore.getState();
    if (forgetOthers) keep(list);
    if (list.length === 0) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const measure = async () => {
      while (live) {
        try {
          const samples = await invoke('containers.stats', { ids: list });
          if (live) add(samples);
        } catch {
          // A container that stopped or went between the list and the measure: the list's next
          // refresh (containers.changed) changes the ids; until then, try again a little later.
          await new Promise<void>((resolve) => {
            timer = setTimeout(resolve, RETRY_MS);
          });
        }
      }
    };
    void measure();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [key, forgetOthers]);
}
