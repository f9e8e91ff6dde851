import { useSyncExternalStore } from 'react';
import { connectionStatus, onConnectionStatus } from '../api/client';
import type { ConnectionStatus } from '../api/transport';

/** Drawn before the page has run (firstView.tsx): not connected yet. */
const beforeConnecting = (): ConnectionStatus => 'connecting';

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(onConnectionStatus, connectionStatus, beforeConnecting);
}
