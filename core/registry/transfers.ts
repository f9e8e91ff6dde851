import { randomUUID } from 'node:crypto';
import type { TransferProgress, TransferStatus } from '../api/events.schema.js';
import type { TransferSummary } from '../api/registry.schema.js';
import { describeError, StevedoreError } from '../errors.js';

/** How many finished transfers are kept for `transfers.list` (a panel opened later still shows them). */
const KEEP_FINISHED = 20;
/** How many cancels of transfers not started yet are remembered, and for how long. */
const KEEP_EARLY_CANCELS = 64;
const EARLY_CANCEL_MS = 60_000;

interface Entry {
  status: TransferStatus;
  blobs: Map<string, TransferProgress>;
  controller: AbortController;
}

export interface RunningTransfer {
  transferId: string;
  signal: AbortSignal;
  progress: (event: TransferProgress) => void;
}

/**
 * The transfers an engine runs (pulls, pushes): each has an id, an AbortController for
 * `transfers.cancel`, and the latest state of each of its blobs, so a panel can rebuild its
 * view at any time; progress and the end are also sent as events.
 */
export class Transfers {
  private readonly entries = new Map<string, Entry>();
  /** Ids cancelled before their transfer started (a Ctrl-C racing the request): when, by Date.now(). */
  private readonly cancelledEarly = new Map<string, number>();

  constructor(
    private readonly onProgress: (event: TransferProgress) => void,
    private readonly onEnded: (status: TransferStatus) => void,
  ) {}

  /** Runs `work` as a transfer; the caller may choose the id (to cancel before the first event). */
  async run<T extends { digest: string }>(
    operation: TransferStatus['operation'],
    subject: string,
    requestedId: string | undefined,
    work: (t: RunningTransfer) => Promise<T>,
  ): Promise<T> {
    const transferId = requestedId ?? randomUUID();
    if (this.entries.get(transferId)?.status.state === 'running') {
      throw new StevedoreError('CONFLICT', `transfer ${transferId} is already running`);
    }
    const entry: Entry = {
      status: {
        transferId,
        operation,
        subject,
        state: 'running',
        startedAt: new Date().toISOString(),
        endedAt: null,
        error: null,
        digest: null,
      },
      blobs: new Map(),
      controller: new AbortController(),
    };
    this.entries.set(transferId, entry);
    const early = this.cancelledEarly.get(transferId);
    this.cancelledEarly.delete(transferId);
    if (early !== undefined && Date.now() - early < EARLY_CANCEL_MS) {
      const message = `${operation} of ${subject} cancelled`;
      this.end(entry, 'cancelled', message, null);
      throw new StevedoreError('CANCELLED', message);
    }
    const progress = (event: TransferProgress) => {
      // A failure (a cancel's included) reports no bytes; the record keeps how far the blob got,
      // so that a panel rebuilt from transfers.list says what moved, as the live one did.
      const before = entry.blobs.get(event.digest);
      entry.blobs.set(
        event.digest,
        event.state === 'failed' && before ? { ...event, bytesDone: Math.max(before.bytesDone, event.bytesDone) } : event,
      );
      this.onProgress(event);
    };
    try {
      const result = await work({ transferId, signal: entry.controller.signal, progress });
      this.end(entry, 'done', null, result.digest);
      return result;
    } catch (err) {
      const cancelled = entry.controller.signal.aborted;
      this.end(entry, cancelled ? 'cancelled' : 'failed', describeError(err).message, null);
      throw err;
    }
  }

  private end(entry: Entry, state: TransferStatus['state'], error: string | null, digest: string | null): void {
    entry.status = { ...entry.status, state, error, digest, endedAt: new Date().toISOString() };
    this.onEnded(entry.status);
    const finished = [...this.entries.values()].filter((e) => e.status.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.entries.delete(old.status.transferId);
  }

  /**
   * Cancels a running transfer. An id not seen yet is one whose request has not reached `run`: it
   * is remembered, and that transfer ends cancelled as it starts. False for a finished transfer.
   */
  cancel(transferId: string): boolean {
    const entry = this.entries.get(transferId);
    if (!entry) {
      this.cancelledEarly.set(transferId, Date.now());
      for (const id of [...this.cancelledEarly.keys()].slice(0, -KEEP_EARLY_CANCELS)) this.cancelledEarly.delete(id);
      return true;
    }
    if (entry.status.state !== 'running') return false;
    entry.controller.abort();
    return true;
  }

  list(): TransferSummary[] {
    return [...this.entries.values()].map((e) => ({ ...e.status, blobs: [...e.blobs.values()] }));
  }
}
