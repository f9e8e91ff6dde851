import type { TransferProgress } from '../../../../core/api/events.schema';
import { formatBytes } from '../../../../core/text/humanize';
import { movedBytes, SPEED_WINDOW_MS, type TransferEntry } from '../../state/transferMerge';

export interface TransferTotals {
  done: number;
  /** Null while a blob's size is unknown, or while only the manifest has reported (the rest is not listed yet). */
  total: number | null;
  /** 0–100, or null when the total is unknown. */
  percent: number | null;
}

export function transferTotals(entry: TransferEntry): TransferTotals {
  let done = 0;
  let total = 0;
  let known = true;
  for (const blob of entry.blobs) {
    done += blob.bytesDone;
    if (blob.bytesTotal === null) known = false;
    else total += blob.bytesTotal;
  }
  if (entry.state === 'done') return { done: total, total, percent: 100 };
  // A pull reports its manifest before it lists the config and layers below it.
  const listed = entry.blobs.some((b) => b.kind === 'config' || b.kind === 'layer');
  if (!known || !listed || total === 0) return { done, total: null, percent: null };
  return { done, total, percent: Math.min(100, (done / total) * 100) };
}

/** Bytes per second over the last few seconds, or null until there is enough to tell. */
export function transferSpeed(entry: TransferEntry, now: number): number | null {
  if (entry.state !== 'running') {
    const ms = entry.endedAt ? Date.parse(entry.endedAt) - Date.parse(entry.startedAt) : Number.NaN;
    const moved = movedBytes(entry.blobs);
    return Number.isFinite(ms) && ms > 0 && moved > 0 ? (moved / ms) * 1000 : null;
  }
  const first = entry.samples.find((s) => s.at >= now - SPEED_WINDOW_MS) ?? entry.samples.at(-1);
  const last = entry.samples.at(-1);
  if (!first || !last) return null;
  // Measured up to now, not to the last event: a stalled transfer slows down on screen.
  const span = now - first.at;
  if (span < 500) return null;
  return ((last.bytes - first.bytes) / span) * 1000;
}

export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** "8 s left", "2 min 5 s left"; null when it cannot be told. */
export function formatEta(totals: TransferTotals, speed: number | null): string | null {
  if (totals.total === null || speed === null || speed <= 0) return null;
  const seconds = Math.ceil((totals.total - totals.done) / speed);
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 60) return `${seconds} s left`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s left`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** "3.2 s", "1 min 4 s": how long a finished transfer took. */
export function formatDuration(entry: TransferEntry): string | null {
  if (!entry.endedAt) return null;
  const ms = Date.parse(entry.endedAt) - Date.parse(entry.startedAt);
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Where a blob is, in docker's words where it has them. */
export function blobStateText(blob: TransferProgress, entry: TransferEntry): string {
  const push = entry.operation === 'push';
  switch (blob.state) {
    case 'queued':
      return entry.state === 'running' ? 'Waiting' : 'Not started';
    case 'exists':
      return 'Already exists';
    case 'mounted': {
      const from = entry.mountedFrom[blob.digest];
      return from ? `Mounted from ${from}` : 'Mounted';
    }
    case 'transferring':
      if (entry.state !== 'running') return 'Stopped';
      return push ? 'Uploading' : 'Downloading';
    case 'verifying':
      return entry.state === 'running' ? 'Verifying' : 'Stopped';
    case 'done':
      return push ? 'Pushed' : 'Pull complete';
    case 'failed':
      // Each blob a cancel stopped reports a failure; the person asked for it. One the engine
      // stopped because another blob failed did not fail itself.
      return entry.state === 'cancelled' ? 'Cancelled' : blob.stopped ? 'Stopped' : 'Failed';
  }
}

export function blobPercent(blob: TransferProgress): number | null {
  if (blob.state === 'exists' || blob.state === 'mounted' || blob.state === 'done' || blob.state === 'verifying') return 100;
  if (blob.bytesTotal === null || blob.bytesTotal === 0) return null;
  return Math.min(100, (blob.bytesDone / blob.bytesTotal) * 100);
}
