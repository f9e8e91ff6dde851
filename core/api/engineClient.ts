import { type ErrorCode, errorCodes, StevedoreError } from '../errors.js';
import type { Args, InvokeResponse, Method, Result } from './contract.js';

/**
 * The one way into an engine, whichever face asks and wherever the engine runs: the CLI, the
 * thin client, the web bridge, the Electron window and the renderer all hold one of these.
 * Plain strings on purpose, as on the wire: adding a method to the contract touches no client.
 * Two kinds exist: in-process (core/server/inProcessClient.ts, the Router of an engine in this
 * process) and over a socket (core/client/engineConnection.ts, the engine socket or a machine's
 * agent); the renderer's transports are the same shape.
 */
export interface EngineClient {
  /** Calls a contract method; a failure is a response, never a throw (see `call` for the typed form). */
  invoke(method: string, args: unknown): Promise<InvokeResponse>;
  /** Listens to an event topic of events.schema.ts; returns the function that stops listening. */
  subscribe(topic: string, listener: (payload: unknown) => void): () => void;
}

/** The error a failed response stands for, with its code and (docker's) exit code kept. */
export function responseError(error: { code: string; message: string; exitCode?: number }): StevedoreError {
  const code: ErrorCode = (errorCodes as readonly string[]).includes(error.code) ? (error.code as ErrorCode) : 'INTERNAL';
  const err = new StevedoreError(code, error.message);
  if (typeof error.exitCode === 'number') Object.assign(err, { exitCode: error.exitCode });
  return err;
}

/**
 * Calls `method` and resolves with its result, or rejects with the engine's error as a
 * StevedoreError. The result is not checked against the contract's schema here: the engine's own
 * Router produced it from that contract (the renderer, which may face an older engine, checks).
 */
export async function call<M extends Method>(client: EngineClient, method: M, args: Args<M>): Promise<Result<M>> {
  const response = await client.invoke(method, args);
  if (!response.ok) throw responseError(response.error);
  return response.value as Result<M>;
}
