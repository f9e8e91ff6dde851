import { useSyncExternalStore } from 'react';
import { connectionStatus, onConnectionStatus } from '../api/client';
import type { ConnectionStatus } from '../api/transport';

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(onConnectionStatus, connectionStatus);
}
