import type { EngineClient } from '../../../core/api/engineClientType';

/** `connecting` only before the first connection; `reconnecting` once it failed or dropped. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

/**
 * How the renderer reaches the engine: the EngineClient every face holds (generic on purpose:
 * adding an engine method never touches a transport; the typed client sits on top), with the
 * state of the connection, which a window shows.
 */
export interface Transport extends EngineClient {
  status(): ConnectionStatus;
  onStatus(cb: (status: ConnectionStatus) => void): () => void;
}
