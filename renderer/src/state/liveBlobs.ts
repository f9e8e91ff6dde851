import type { TransferProgress } from '../../../core/api/events.schema';
import type { TransferEntry } from './transferMerge';

/** A blob's state on a DAG node while a transfer moves it (or after the transfer failed on it). */
export type LiveState = 'waiting' | 'moving' | 'verifying' | 'verified' | 'exists' | 'mounted' | 'failed';

export interface LiveBlob {
  state: LiveState;
  operation: TransferEntry['operation'];
  transferId: string;
  /** 0-100: how much of the blob has moved (a blob already there counts as whole). */
  percent: number;
  bytesDone: number;
  bytesTotal: number | null;
  /** A failed blob: the engine's one-line error. */
  error?: string | undefined;
  /** A mounted blob: the repository it was linked from (the event says it, and the push's answer). */
  from?: string | undefined;
}

const liveState: Record<TransferProgress['state'], LiveState> = {
  queued: 'waiting',
  transferring: 'moving',
  verifying: 'verifying',
  done: 'verified',
  exists: 'exists',
  mounted: 'mounted',
  failed: 'failed',
};

/** A blob reported before its digest is known (a load computing it) cannot be matched to a node. */
const isDigest = (digest: string) => digest.includes(':');

function toLive(entry: TransferEntry, blob: TransferProgress): LiveBlob {
  const state = liveState[blob.state];
  const whole = state === 'verified' || state === 'exists' || state === 'mounted';
  const percent = whole ? 100 : blob.bytesTotal ? Math.min(100, Math.floor((blob.bytesDone / blob.bytesTotal) * 100)) : 0;
  return {
    state,
    operation: entry.operation,
    transferId: entry.transferId,
    percent,
    bytesDone: whole && blob.bytesTotal !== null ? blob.bytesTotal : blob.bytesDone,
    bytesTotal: blob.bytesTotal,
    error: state === 'failed' ? blob.error : undefined,
    from: state === 'mounted' ? (blob.mountedFrom ?? entry.mountedFrom[blob.digest]) : undefined,
  };
}

/**
 * Every blob a transfer is moving now, by digest; and, for a transfer that failed and was not
 * cleared, the blobs that failed themselves (not the ones it stopped). Everything else is drawn as
 * usual: a transfer that ended gives its nodes back. Running transfers win, newest first.
 */
export function liveBlobs(transfers: readonly TransferEntry[], hidden: ReadonlySet<string>): Map<string, LiveBlob> {
  const live = new Map<string, LiveBlob>();
  for (const entry of transfers) {
    if (entry.state !== 'running') continue;
    for (const blob of entry.blobs)
      if (isDigest(blob.digest) && !live.has(blob.digest)) live.set(blob.digest, toLive(entry, blob));
  }
  for (const entry of transfers) {
    if (entry.state !== 'failed' || hidden.has(entry.transferId)) continue;
    for (const blob of entry.blobs) {
      if (blob.state !== 'failed' || blob.stopped || !isDigest(blob.digest) || live.has(blob.digest)) continue;
      live.set(blob.digest, toLive(entry, blob));
    }
  }
  return live;
}

/** What a node says of its blob: "Downloading 42%", "Already there", "Mounted from team/base"… */
export function liveLabel(blob: Pick<LiveBlob, 'state' | 'operation' | 'percent' | 'from'>): string {
  switch (blob.state) {
    case 'waiting':
      return 'Waiting';
    case 'moving':
      return `${blob.operation === 'push' ? 'Uploading' : blob.operation === 'pull' ? 'Downloading' : 'Copying'} ${blob.percent}%`;
    case 'verifying':
      return 'Verifying';
    case 'verified':
      return 'Verified';
    case 'exists':
      return 'Already there';
    case 'mounted':
      return blob.from ? `Mounted from ${blob.from}` : 'Mounted';
    case 'failed':
      return 'Failed';
  }
}

/** An image card of the store graph: the blobs folded into it, summed. */
export interface LiveSum {
  state: LiveState;
  operation: TransferEntry['operation'];
  percent: number;
  /** Blobs of the card the transfer names, and how many of those are over (verified, there, mounted). */
  blobs: number;
  finished: number;
  error: string | undefined;
}

/** The most telling state first: a failure, then what moves, then what waits, then what is over. */
const urgency: Record<LiveState, number> = {
  failed: 0,
  moving: 1,
  verifying: 2,
  waiting: 3,
  verified: 4,
  mounted: 5,
  exists: 6,
};

export function aggregateLive(live: ReadonlyMap<string, LiveBlob>, digests: readonly string[]): LiveSum | undefined {
  let top: LiveBlob | undefined;
  let blobs = 0;
  let finished = 0;
  let done = 0;
  let total = 0;
  for (const digest of digests) {
    const blob = live.get(digest);
    if (!blob) continue;
    blobs++;
    if (urgency[blob.state] >= urgency.verified) finished++;
    if (!top || urgency[blob.state] < urgency[top.state]) top = blob;
    done += blob.bytesDone;
    total += blob.bytesTotal ?? 0;
  }
  if (!top) return undefined;
  return {
    state: top.state,
    operation: top.operation,
    percent: total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0,
    blobs,
    finished,
    error: top.error,
  };
}

/** One blob of an image still arriving, as its transfer's events describe it. */
export interface ArrivingBlob {
  digest: string;
  kind: 'index' | 'manifest' | 'config' | 'layer';
  size: number;
  parent: string | undefined;
}

export interface Arriving {
  /** The blob no other lists: what the reference names. */
  top: string | undefined;
  blobs: ArrivingBlob[];
  /** The shape alone (digests, edges, kinds): the graph is laid out again only when this changes, not on progress. */
  key: string;
}

/** A transfer's blobs as a DAG: the events name each blob's parent (the index or manifest listing it). */
export function arrivingBlobs(entry: TransferEntry): Arriving {
  const blobs: ArrivingBlob[] = [];
  for (const b of entry.blobs) {
    if (!isDigest(b.digest) || b.kind === 'blob') continue;
    blobs.push({ digest: b.digest, kind: b.kind, size: b.bytesTotal ?? b.bytesDone, parent: b.parent });
  }
  const top = blobs.find((b) => b.parent === undefined)?.digest;
  const key = blobs.map((b) => `${b.digest}<${b.parent ?? ''}|${b.kind}`).join(';');
  return { top, blobs, key };
}

/** An image a running pull is bringing in: its name and its blobs so far. */
export interface Arrival {
  subject: string;
  arriving: Arriving;
}

/** The running pulls, each as the DAG it has reported so far. */
export function arrivals(transfers: readonly TransferEntry[]): Arrival[] {
  return transfers
    .filter((t) => t.operation === 'pull' && t.state === 'running')
    .map((t) => ({ subject: t.subject, arriving: arrivingBlobs(t) }))
    .filter((a) => a.arriving.top !== undefined);
}
