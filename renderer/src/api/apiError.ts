/**
 * A failed call, as the engine describes it: a stable code for code, one sentence for people.
 * The transports add two codes of their own: DISCONNECTED (the engine went away before answering)
 * and BAD_RESPONSE (an answer that does not match the contract).
 */
export class ApiError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Losing the engine is shown once, by the connection banner, not as one error per pending call. */
export function isDisconnected(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'DISCONNECTED';
}
