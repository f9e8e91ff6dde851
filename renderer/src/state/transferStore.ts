import { create } from 'zustand';
import type { TransferProgress, TransferStatus } from '../../../core/api/events.schema';
import type { TransferSummary } from '../../../core/api/registry.schema';
import { applyEnded, applyProgress, applySummaries, begin, newEntry, patch, type TransferEntry } from './transferMerge';

interface TransferState {
  /** Newest first: running ones and the ones finished since the window opened (or the engine keeps). */
  transfers: TransferEntry[];
  /** Transfers the person cleared from the panel; the engine still lists them for a while. */
  hidden: ReadonlySet<string>;
  begin(transferId: string, operation: TransferEntry['operation'], subject: string): void;
  progress(events: readonly TransferProgress[], now: number): void;
  ended(status: TransferStatus): void;
  listed(summaries: readonly TransferSummary[], now: number): void;
  patch(transferId: string, change: Partial<TransferEntry>): void;
  clearFinished(): void;
}

/**
 * Pulls and pushes, fed by the engine's transfer events and `transfers.list`. A store of its
 * own rather than react-query's cache: it is built from a stream of events, and it has to live on
 * while the Transfers view is not on screen.
 */
export const useTransferStore = create<TransferState>()((set) => ({
  transfers: [],
  hidden: new Set(),
  begin: (transferId, operation, subject) =>
    set((s) => ({ transfers: begin(s.transfers, newEntry(transferId, operation, subject, new Date().toISOString())) })),
  progress: (events, now) => set((s) => ({ transfers: applyProgress(s.transfers, events, now) })),
  ended: (status) => set((s) => ({ transfers: applyEnded(s.transfers, status) })),
  listed: (summaries, now) => set((s) => ({ transfers: applySummaries(s.transfers, summaries, now) })),
  patch: (transferId, change) => set((s) => ({ transfers: patch(s.transfers, transferId, change) })),
  clearFinished: () =>
    set((s) => ({
      hidden: new Set([...s.hidden, ...s.transfers.filter((t) => t.state !== 'running').map((t) => t.transferId)]),
    })),
}));

export function useTransfer(transferId: string | null): TransferEntry | undefined {
  return useTransferStore((s) => (transferId === null ? undefined : s.transfers.find((t) => t.transferId === transferId)));
}

export function useRunningCount(): number {
  return useTransferStore((s) => s.transfers.filter((t) => t.state === 'running').length);
}
