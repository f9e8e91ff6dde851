import { create } from 'zustand';
import type { ContainerStats } from '../../../core/api/stats.schema';

/** How many samples a container keeps: about a minute at one a second, what a sparkline shows. */
export const STATS_SAMPLES = 60;

interface ContainerStatsState {
  /** The latest samples per container id, oldest first. */
  history: Readonly<Record<string, readonly ContainerStats[]>>;
  add: (samples: readonly ContainerStats[]) => void;
  /** Keeps only these containers' samples (the others stopped or went). */
  keep: (ids: readonly string[]) => void;
}

/**
 * The CPU and memory samples of running containers, shared by the list's rows and a detail: a row
 * scrolled out and back in, or the detail opened from it, shows the same line.
 */
export const useContainerStatsStore = create<ContainerStatsState>((set) => ({
  history: {},
  add: (samples) =>
    set((s) => {
      const history = { ...s.history };
      for (const sample of samples) history[sample.id] = [...(history[sample.id] ?? []), sample].slice(-STATS_SAMPLES);
      return { history };
    }),
  keep: (ids) =>
    set((s) => {
      const history: Record<string, readonly ContainerStats[]> = {};
      for (const id of ids) {
        const samples = s.history[id];
        if (samples) history[id] = samples;
      }
      return { history };
    }),
}));

const none: readonly ContainerStats[] = [];

/** One container's samples, oldest first (none yet: an empty list). */
export function useContainerStatsHistory(id: string): readonly ContainerStats[] {
  return useContainerStatsStore((s) => s.history[id] ?? none);
}
