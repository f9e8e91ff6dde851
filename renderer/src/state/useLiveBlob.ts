import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { type Arrival, aggregateLive, arrivals, type LiveBlob, type LiveSum, liveBlobs } from './liveBlobs';
import { useTransferStore } from './transferStore';

type TransferSnapshot = ReturnType<typeof useTransferStore.getState>;

/**
 * The live map is built once per change of the transfer store (a batch of progress every 100 ms at
 * most), however many nodes read it: each node then looks up its own digest.
 */
let cached: { transfers: unknown; hidden: unknown; live: Map<string, LiveBlob> } | undefined;
function liveOf(s: TransferSnapshot): Map<string, LiveBlob> {
  if (cached?.transfers !== s.transfers || cached.hidden !== s.hidden) {
    cached = { transfers: s.transfers, hidden: s.hidden, live: liveBlobs(s.transfers, s.hidden) };
  }
  return cached.live;
}

/** A node's live state; it re-renders only when its own blob's state or percent changes. */
export function useLiveBlob(digest: string): LiveBlob | undefined {
  return useTransferStore(useShallow((s) => liveOf(s).get(digest)));
}

/** An image card's blobs, summed. */
export function useLiveSum(digests: readonly string[]): LiveSum | undefined {
  return useTransferStore(useShallow((s) => aggregateLive(liveOf(s), digests)));
}

/**
 * The images running pulls are bringing in. The answer changes only when one's shape does (a blob
 * or an edge appears), not on progress: a graph drawing them is laid out again only then.
 */
export function useArrivals(): Arrival[] {
  const shape = useTransferStore((s) =>
    arrivals(s.transfers)
      .map((a) => `${a.subject}\n${a.arriving.key}`)
      .join('\n\n'),
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: the shape is what the list depends on; the store is read for it once per change.
  return useMemo(() => arrivals(useTransferStore.getState().transfers), [shape]);
}
