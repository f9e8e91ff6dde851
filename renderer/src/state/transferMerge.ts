import type { BlobState, TransferProgress, TransferStatus } from '../../../core/api/events.schema';
import type { TransferSummary } from '../../../core/api/registry.schema';

/** Bytes moved so far at a moment: the speed is the slope between two of these. */
export interface Sample {
  at: number;
  bytes: number;
}

/** One pull or push as the Transfers panel draws it. */
export interface TransferEntry {
  transferId: string;
  operation: TransferStatus['operation'];
  /** The reference pulled or pushed to, as the engine normalized it once it spoke. */
  subject: string;
  state: TransferStatus['state'];
  startedAt: string;
  endedAt: string | null;
  error: string | null;
  digest: string | null;
  /** Each blob's latest progress, in the order the blobs first reported. */
  blobs: TransferProgress[];
  /** The last few seconds of bytes moved (blobs that existed or were mounted move none). */
  samples: Sample[];
  /** For a push: the repository each mounted blob was linked from. */
  mountedFrom: Record<string, string>;
  /** The person asked to cancel; the engine has not said it ended yet. */
  cancelling: boolean;
}

/** How long the speed looks back: long enough to smooth bursts, short enough to follow a change. */
export const SPEED_WINDOW_MS = 4000;

/** Blob states in the order a blob passes through them; a later report never moves a blob back. */
const stateRank: Record<BlobState, number> = {
  queued: 0,
  transferring: 1,
  verifying: 2,
  done: 3,
  exists: 3,
  mounted: 3,
  failed: 3,
};

/** Bytes that actually crossed the wire: a blob the other side already had moved none. */
export function movedBytes(blobs: readonly TransferProgress[]): number {
  let moved = 0;
  for (const b of blobs) if (b.state !== 'exists' && b.state !== 'mounted') moved += b.bytesDone;
  return moved;
}

export function newEntry(
  transferId: string,
  operation: TransferEntry['operation'],
  subject: string,
  startedAt: string,
): TransferEntry {
  return {
    transferId,
    operation,
    subject,
    state: 'running',
    startedAt,
    endedAt: null,
    error: null,
    digest: null,
    blobs: [],
    samples: [],
    mountedFrom: {},
    cancelling: false,
  };
}

function withSample(entry: TransferEntry, now: number): TransferEntry {
  const samples = [...entry.samples, { at: now, bytes: movedBytes(entry.blobs) }];
  // Keep one sample older than the window, so the slope always spans all of it.
  const firstInWindow = samples.findIndex((s) => s.at >= now - SPEED_WINDOW_MS);
  return { ...entry, samples: samples.slice(Math.max(0, firstInWindow - 1)) };
}

function mergeBlob(blobs: TransferProgress[], event: TransferProgress): TransferProgress[] {
  const at = blobs.findIndex((b) => b.digest === event.digest);
  if (at === -1) return [...blobs, event];
  const old = blobs[at]!;
  const newer =
    stateRank[event.state] > stateRank[old.state] ||
    (stateRank[event.state] === stateRank[old.state] && event.bytesDone >= old.bytesDone);
  if (!newer) return blobs;
  const next = blobs.slice();
  // A failure reports no bytes; the bar stays where the blob stopped, so one can see how far it got.
  next[at] = event.state === 'failed' ? { ...event, bytesDone: Math.max(old.bytesDone, event.bytesDone) } : event;
  return next;
}

/** Newest first, so a new pull shows at the top of the panel. */
function sorted(entries: TransferEntry[]): TransferEntry[] {
  return entries.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** A transfer this window started: shown at once, before the engine reports anything. */
export function begin(entries: TransferEntry[], entry: TransferEntry): TransferEntry[] {
  if (entries.some((e) => e.transferId === entry.transferId)) return entries;
  return sorted([...entries, entry]);
}

/** A batch of `transfer.progress` events; a transfer another window started appears here. */
export function applyProgress(entries: TransferEntry[], events: readonly TransferProgress[], now: number): TransferEntry[] {
  if (events.length === 0) return entries;
  const byId = new Map(entries.map((e) => [e.transferId, e]));
  const touched = new Set<string>();
  for (const event of events) {
    const entry =
      byId.get(event.transferId) ?? newEntry(event.transferId, event.operation, event.subject, new Date(now).toISOString());
    byId.set(event.transferId, { ...entry, subject: event.subject, blobs: mergeBlob(entry.blobs, event) });
    touched.add(event.transferId);
  }
  for (const id of touched) byId.set(id, withSample(byId.get(id)!, now));
  return sorted([...byId.values()]);
}

/** `transfer.ended`: how it finished, and the digest it produced. */
export function applyEnded(entries: TransferEntry[], status: TransferStatus): TransferEntry[] {
  const entry = entries.find((e) => e.transferId === status.transferId);
  const base = entry ?? newEntry(status.transferId, status.operation, status.subject, status.startedAt);
  const ended: TransferEntry = {
    ...base,
    subject: status.subject,
    state: status.state,
    startedAt: status.startedAt,
    endedAt: status.endedAt,
    error: status.error,
    digest: status.digest,
    cancelling: false,
  };
  return sorted([...entries.filter((e) => e !== entry), ended]);
}

/**
 * `transfers.list` (at start-up, after a reconnect): the engine's record wins for how a transfer
 * ended; for blobs, whichever report is further along, since events may have overtaken the list.
 */
export function applySummaries(entries: TransferEntry[], summaries: readonly TransferSummary[], now: number): TransferEntry[] {
  let next = entries;
  for (const summary of summaries) {
    const { blobs, ...status } = summary;
    const known = next.find((e) => e.transferId === summary.transferId);
    if (known && known.state !== 'running' && status.state === 'running') continue;
    const base = known ?? newEntry(status.transferId, status.operation, status.subject, status.startedAt);
    const merged: TransferEntry = {
      ...base,
      ...status,
      blobs: blobs.reduce(mergeBlob, base.blobs),
      cancelling: status.state === 'running' && base.cancelling,
    };
    const sampled = merged.state === 'running' ? withSample(merged, now) : merged;
    next = [...next.filter((e) => e !== known), sampled];
  }
  return sorted(next);
}

/** Fields set by this window alone: a cancel asked for, a failure before the engine started a transfer, mounts. */
export function patch(entries: TransferEntry[], transferId: string, change: Partial<TransferEntry>): TransferEntry[] {
  return entries.map((e) => (e.transferId === transferId ? { ...e, ...change } : e));
}
