import { create } from 'zustand';
import { ApiError } from '../api/apiError';

export interface ErrorNotice {
  id: number;
  /** What failed (a query hash, a mutation): a later success from the same source clears it. */
  source: string;
  code: string;
  message: string;
}

interface ErrorState {
  notices: ErrorNotice[];
  report(source: string, err: unknown): void;
  resolve(source: string): void;
  dismiss(id: number): void;
}

let nextId = 1;

/** Sentences for the banner: the engine's own when it sent one, never a stack trace. */
function describe(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** The failures on screen: UI state, fed by react-query's caches. */
export const useErrorStore = create<ErrorState>()((set) => ({
  notices: [],
  report: (source, err) =>
    set((state) => {
      const { code, message } = describe(err);
      // The same failure again (a refetch, another query) replaces its banner instead of stacking.
      const others = state.notices.filter((n) => n.source !== source && n.message !== message);
      return { notices: [...others, { id: nextId++, source, code, message }] };
    }),
  resolve: (source) =>
    set((state) =>
      state.notices.some((n) => n.source === source) ? { notices: state.notices.filter((n) => n.source !== source) } : state,
    ),
  dismiss: (id) => set((state) => ({ notices: state.notices.filter((n) => n.id !== id) })),
}));
