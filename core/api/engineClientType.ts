import type { InvokeResponse } from './contract.js';

/**
 * The one way into an engine, whichever face asks and wherever the engine runs: the CLI, the web
 * bridge, the Electron window and the renderer all hold one of these. Plain strings on purpose,
 * as on the wire: adding a method to the contract touches no client. Two kinds exist: in-process
 * (core/server/inProcessClient.ts, the Router of an engine in this process) and over a socket
 * (core/client/engineConnection.ts, the engine socket or a machine's agent); the renderer's
 * transports are the same shape. A file of its own, importing nothing but the contract's types,
 * so that the renderer can name it (engineClient.ts' `call` needs core/errors, which it may not reach).
 */
export interface EngineClient {
  /** Calls a contract method; a failure is a response, never a throw (see `call` for the typed form). */
  invoke(method: string, args: unknown): Promise<InvokeResponse>;
  /** Listens to an event topic of events.schema.ts; returns the function that stops listening. */
  subscribe(topic: string, listener: (payload: unknown) => void): () => void;
}
