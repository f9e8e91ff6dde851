import { type ErrorCode, errorCodes, StevedoreError } from '../errors.js';
import type { Args, Method, Result } from './contract.js';
import type { EngineClient } from './engineClientType.js';

export type { EngineClient } from './engineClientType.js';

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
