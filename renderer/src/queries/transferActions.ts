import type { Args, Result } from '../../../core/api/contract';
import { ApiError, isDisconnected } from '../api/apiError';
import { invoke } from '../api/client';
import { askForNotifications } from '../shell/endNotifications';
import { holdFailure, releaseFailure, useTransferStore } from '../state/transferStore';

/** A pull or push this window asked for; `finished` settles when the engine answers the call. */
export interface StartedTransfer {
  transferId: string;
  finished: Promise<unknown>;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Starts a transfer under an id chosen here, so the panel shows it (and can cancel it) before the
 * engine's first event. A failure the engine reports before it started a transfer (a bad name,
 * an unknown platform) has no `transfer.ended`, so the answer to the call marks it too. A lost
 * connection says nothing about the transfer, which goes on in the engine: the list after the
 * reconnect tells how it went.
 */
function start(
  operation: 'pull' | 'push' | 'load',
  subject: string,
  call: (transferId: string) => Promise<{ digest: string | null }>,
): StartedTransfer {
  const transferId = crypto.randomUUID();
  askForNotifications();
  const store = useTransferStore.getState;
  store().begin(transferId, operation, subject);
  const finished = call(transferId);
  finished.then(
    (value) => {
      const entry = store().transfers.find((t) => t.transferId === transferId);
      if (entry?.state === 'running') {
        store().patch(transferId, { state: 'done', digest: value.digest, endedAt: new Date().toISOString() });
      }
    },
    (err) => {
      if (isDisconnected(err)) return;
      const entry = store().transfers.find((t) => t.transferId === transferId);
      if (entry?.state !== 'running') return;
      const cancelled = err instanceof ApiError && err.code === 'CANCELLED';
      store().patch(transferId, {
        state: cancelled ? 'cancelled' : 'failed',
        error: message(err),
        endedAt: new Date().toISOString(),
        cancelling: false,
      });
    },
  );
  return { transferId, finished };
}

export function startPull(args: Omit<Args<'images.pull'>, 'transferId'>): StartedTransfer {
  return start('pull', args.ref, (transferId) => invoke('images.pull', { ...args, transferId }));
}

/** A load of a file or directory on the engine's machine; `finished` settles with what it loaded. */
export function startLoad(
  args: Omit<Args<'images.load'>, 'transferId'>,
): StartedTransfer & { loaded: Promise<Result<'images.load'>> } {
  let loaded!: Promise<Result<'images.load'>>;
  const started = start('load', args.path, (transferId) => {
    loaded = invoke('images.load', { ...args, transferId });
    return loaded.then(() => ({ digest: null }));
  });
  return { ...started, loaded };
}

export function startPush(args: Omit<Args<'images.push'>, 'transferId'>): StartedTransfer {
  return start('push', args.target ?? args.ref, (transferId) =>
    invoke('images.push', { ...args, transferId }).then((result) => {
      // Progress says "mounted"; only the result says from where.
      const mountedFrom: Record<string, string> = {};
      for (const blob of result.blobs) if (blob.from) mountedFrom[blob.digest] = blob.from;
      useTransferStore.getState().patch(transferId, { mountedFrom });
      return result;
    }),
  );
}

/**
 * Asks the engine to stop a transfer. One that it has not started yet (it checks the reference
 * first) is remembered there, and ends cancelled as it starts.
 */
export async function cancelTransfer(transferId: string): Promise<void> {
  const store = useTransferStore.getState;
  store().patch(transferId, { cancelling: true });
  try {
    const { cancelled } = await invoke('transfers.cancel', { transferId });
    if (!cancelled) store().patch(transferId, { cancelling: false });
  } catch (err) {
    store().patch(transferId, { cancelling: false });
    throw err;
  }
}

/** How long a dialog waits for the engine to get going before it leaves the rest to the Transfers view. */
const UNDERWAY_WAIT_MS = 4000;

/**
 * Resolves once the engine is under way with a transfer (its first blob reported, or the call
 * finished), or after `timeoutMs`; rejects with the engine's error when the call failed first.
 * A dialog waits for this so that an error it can fix (a typo in a tag, a login) shows in it.
 */
export function whenUnderway(started: StartedTransfer, timeoutMs = UNDERWAY_WAIT_MS): Promise<void> {
  // While the dialog waits, a failure is its to show; once it has closed, a toast tells it.
  holdFailure(started.transferId);
  return new Promise<void>((resolve, reject) => {
    const hasBlobs = () =>
      (useTransferStore.getState().transfers.find((t) => t.transferId === started.transferId)?.blobs.length ?? 0) > 0;
    const done = () => {
      unsubscribe();
      clearTimeout(timer);
    };
    const underway = () => {
      done();
      releaseFailure(started.transferId);
      resolve();
    };
    const unsubscribe = useTransferStore.subscribe(() => {
      if (hasBlobs()) underway();
    });
    const timer = setTimeout(underway, timeoutMs);
    started.finished.then(underway, (err) => {
      if (isDisconnected(err)) return underway();
      // The dialog shows this failure: it stays held, so no toast says it again.
      done();
      reject(err);
    });
  });
}
