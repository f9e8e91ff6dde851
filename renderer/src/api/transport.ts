import type { InvokeResponse } from '../../../core/api/contract';

/** `connecting` only before the first connection; `reconnecting` once it failed or dropped. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

/**
 * How the renderer reaches the engine. Generic on purpose (method and topic are plain strings):
 * adding an engine method never touches a transport; the typed client sits on top.
 */
export interface Transport {
  invoke(method: string, args: unknown): Promise<InvokeResponse>;
  subscribe(topic: string, cb: (payload: unknown) => void): () => void;
  status(): ConnectionStatus;
  onStatus(cb: (status: ConnectionStatus) => void): () => void;
}
