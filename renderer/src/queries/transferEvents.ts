import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { TransferProgress } from '../../../core/api/events.schema';
import { isDisconnected } from '../api/apiError';
import { invoke, onConnectionStatus, subscribe } from '../api/client';
import { useErrorStore } from '../state/errorStore';
import { useTransferStore } from '../state/transferStore';
import { registryKeys } from './registryQueries';

/** Progress arrives every 100 ms per blob; a few blobs at once are drawn in one render. */
const FLUSH_MS = 100;

/**
 * Feeds the transfer store for the life of the window: the engine's list first (a reload shows
 * the transfers still running), then every event, and the list again after a reconnect, since
 * events sent while the socket was down are lost.
 */
export function useTransferEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const store = useTransferStore.getState;
    let pending: TransferProgress[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const batch = pending;
      pending = [];
      store().progress(batch, Date.now());
    };
    const offProgress = subscribe('transfer.progress', (event) => {
      // A load reports its blobs too, but never ends as a transfer (no transfer.ended): it would
      // stay "running" here for ever. Only pulls and pushes are transfers the engine tracks, and
      // the loads this window asked for (begun in the store, ended by the call's answer).
      const ours = () => store().transfers.some((t) => t.transferId === event.transferId);
      if (event.operation !== 'pull' && event.operation !== 'push' && !ours()) return;
      pending.push(event);
      timer ??= setTimeout(flush, FLUSH_MS);
    });
    const offEnded = subscribe('transfer.ended', (status) => {
      flush();
      store().ended(status);
      // A push changes what a registry holds: its tags (and perhaps its catalog) are out of date.
      if (status.operation === 'push' && status.state === 'done')
        void queryClient.invalidateQueries({ queryKey: registryKeys.all });
    });
    const load = () =>
      invoke('transfers.list', {}).then(
        (list) => {
          flush();
          store().listed(list, Date.now());
        },
        (err) => {
          if (!isDisconnected(err)) useErrorStore.getState().report('transfers.list', err);
        },
      );
    void load();
    let wasDown = false;
    const offStatus = onConnectionStatus((status) => {
      if (status === 'reconnecting') wasDown = true;
      else if (status === 'open' && wasDown) {
        wasDown = false;
        void load();
      }
    });
    return () => {
      offProgress();
      offEnded();
      offStatus();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [queryClient]);
}
