import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { TransferProgress, TransferStatus } from '../../../core/api/events.schema';
import type { TransferSummary } from '../../../core/api/registry.schema';
import { applyEnded, applyProgress, applySummaries, begin, newEntry, patch, type TransferEntry } from './transferMerge';
import { useUiStore } from './uiStore';

interface TransferState {
  /** Newest first: running ones and the ones finished since the window opened (or the engine keeps). */
  transfers: TransferEntry[];
  /** Transfers the person cleared from the panel; the engine still lists them for a while. Outlives a reload. */
  hidden: ReadonlySet<string>;
  /** Failures the person has not seen on the Transfers view yet: the sidebar's badge. */
  unseenFailures: readonly string[];
  /** Failures told in a toast, until dismissed or followed. */
  toasts: readonly string[];
  begin(transferId: string, operation: TransferEntry['operation'], subject: string): void;
  progress(events: readonly TransferProgress[], now: number): void;
  ended(status: TransferStatus): void;
  listed(summaries: readonly TransferSummary[], now: number): void;
  patch(transferId: string, change: Partial<TransferEntry>): void;
  clearFinished(): void;
  /** The Transfers view is on screen: every failure so far has been seen there. */
  failuresSeen(): void;
  dismissToast(transferId: string): void;
}

/** How many cleared ids are kept (the engine lists the last 20 finished transfers). */
const KEEP_HIDDEN = 200;

/** Transfers whose failure a dialog is showing (it waits on them): no toast for those. */
const heldByDialog = new Set<string>();

/** A dialog waits on a transfer and will show its failure itself (whenUnderway). */
export function holdFailure(transferId: string): void {
  heldByDialog.add(transferId);
}

/** The dialog closed with the transfer under way: a failure from now on is told where the person is. */
export function releaseFailure(transferId: string): void {
  heldByDialog.delete(transferId);
}

/** Ids that were running before and failed now, which nothing on screen shows yet. */
function newFailures(before: readonly TransferEntry[], after: readonly TransferEntry[]): string[] {
  if (useUiStore.getState().view === 'transfers') return [];
  const wasRunning = new Set(before.filter((e) => e.state === 'running').map((e) => e.transferId));
  return after
    .filter((e) => e.state === 'failed' && wasRunning.has(e.transferId) && !heldByDialog.has(e.transferId))
    .map((e) => e.transferId);
}

type Change = (transfers: TransferEntry[]) => TransferEntry[];

/**
 * Pulls and pushes, fed by the engine's transfer events and `transfers.list`. A store of its
 * own rather than react-query's cache: it is built from a stream of events, and it has to live on
 * while the Transfers view is not on screen.
 */
export const useTransferStore = create<TransferState>()(
  persist(
    (set) => {
      /** Applies a change to the list, noting the failures it brings. */
      const update = (change: Change) =>
        set((s) => {
          const transfers = change(s.transfers);
          const failed = newFailures(s.transfers, transfers);
          if (failed.length === 0) return { transfers };
          return {
            transfers,
            unseenFailures: [...s.unseenFailures, ...failed],
            toasts: [...s.toasts, ...failed],
          };
        });
      return {
        transfers: [],
        hidden: new Set(),
        unseenFailures: [],
        toasts: [],
        begin: (transferId, operation, subject) =>
          set((s) => ({ transfers: begin(s.transfers, newEntry(transferId, operation, subject, new Date().toISOString())) })),
        progress: (events, now) => update((t) => applyProgress(t, events, now)),
        ended: (status) => update((t) => applyEnded(t, status)),
        listed: (summaries, now) => update((t) => applySummaries(t, summaries, now)),
        patch: (transferId, change) => update((t) => patch(t, transferId, change)),
        clearFinished: () =>
          set((s) => ({
            hidden: new Set(
              [...s.hidden, ...s.transfers.filter((t) => t.state !== 'running').map((t) => t.transferId)].slice(-KEEP_HIDDEN),
            ),
          })),
        failuresSeen: () =>
          set((s) => (s.unseenFailures.length === 0 && s.toasts.length === 0 ? s : { unseenFailures: [], toasts: [] })),
        dismissToast: (transferId) => set((s) => ({ toasts: s.toasts.filter((id) => id !== transferId) })),
      };
    },
    {
      // What the person cleared stays cleared after a reload: the engine's list would bring it back.
      name: 'stevedore-transfers',
      partialize: (s) => ({ hidden: [...s.hidden] }),
      merge: (persisted, current) => ({
        ...current,
        hidden: new Set((persisted as { hidden?: string[] } | undefined)?.hidden ?? []),
      }),
    },
  ),
);

export function useTransfer(transferId: string | null): TransferEntry | undefined {
  return useTransferStore((s) => (transferId === null ? undefined : s.transfers.find((t) => t.transferId === transferId)));
}

export function useRunningCount(): number {
  return useTransferStore((s) => s.transfers.filter((t) => t.state === 'running').length);
}
