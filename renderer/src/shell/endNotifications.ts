import { useEffect } from 'react';
import type { BuildSummary } from '../../../core/api/builds.schema';
import { subscribe } from '../api/client';
import type { TransferEntry } from '../state/transferMerge';
import { useTransferStore } from '../state/transferStore';

/** What counts as long: a person has likely turned to something else by then. */
export const LONG_MS = 8_000;

const verb = { pull: 'Pull', push: 'Push', load: 'Load', save: 'Save' } as const;

/** The web Notification API (an OS notification in the browser and in Electron alike), when allowed. */
function notify(title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  // Shown only while the person looks elsewhere: in the window, the app itself says it.
  if (document.hasFocus()) return;
  new Notification(title, { body, tag: title });
}

/** Asked once, from a person's own action (a Pull, Push or Build button): browsers ignore asks without one. */
export function askForNotifications(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission();
}

const lasted = (startedAt: string, endedAt: string | null) =>
  endedAt !== null && Date.parse(endedAt) - Date.parse(startedAt) >= LONG_MS;

function transferEnded(entry: TransferEntry): void {
  if (!lasted(entry.startedAt, entry.endedAt)) return;
  if (entry.state === 'done') notify(`${verb[entry.operation]} finished`, entry.subject);
  else if (entry.state === 'failed') notify(`${verb[entry.operation]} failed`, `${entry.subject}: ${entry.error ?? ''}`);
}

function buildEnded(build: BuildSummary): void {
  if (!lasted(build.startedAt, build.endedAt)) return;
  const what = build.tags[0] ?? 'the image';
  if (build.state === 'done') notify('Build finished', what);
  else if (build.state === 'failed') notify('Build failed', `${what}: ${build.error ?? ''}`);
}

/**
 * A long pull, push or build that ends while the window is in the background is told by the OS
 * (issue 18). A cancelled one is not: the person did that.
 */
export function useEndNotifications(): void {
  useEffect(() => {
    const offTransfers = useTransferStore.subscribe((state, before) => {
      const wasRunning = new Set(before.transfers.filter((t) => t.state === 'running').map((t) => t.transferId));
      for (const entry of state.transfers)
        if (wasRunning.has(entry.transferId) && entry.state !== 'running') transferEnded(entry);
    });
    const offBuilds = subscribe('build.ended', buildEnded);
    return () => {
      offTransfers();
      offBuilds();
    };
  }, []);
}
