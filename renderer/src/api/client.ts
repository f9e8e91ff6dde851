import { type Args, contract, type Method, type Result } from '../../../core/api/contract';
import { type EventPayload, type EventTopic, eventSchemas } from '../../../core/api/events.schema';
import { ApiError } from './apiError';
import { takeEarly } from './earlyCalls';
import type { ConnectionStatus } from './transport';
import { windowTransport as transport } from './windowTransport';

/**
 * Calls the engine. Resolves with the result the contract promises, checked against its schema so
 * that a view never renders a shape it was not written for; rejects with an ApiError otherwise.
 */
export async function invoke<M extends Method>(method: M, args: Args<M>): Promise<Result<M>> {
  // A call the page's entry made before the app loaded (earlyCalls.ts) is answered from there once.
  const early = Object.keys(args as object).length === 0 ? takeEarly(method) : undefined;
  const response = await (early ?? transport().invoke(method, args));
  if (!response.ok) throw new ApiError(response.error.code, response.error.message);
  const parsed = contract[method].result.safeParse(response.value);
  if (!parsed.success) {
    throw new ApiError('BAD_RESPONSE', `The engine answered ${method} with data this app does not understand.`);
  }
  return parsed.data as Result<M>;
}

/** Listens to an engine event; payloads that do not match the topic's schema are dropped. */
export function subscribe<T extends EventTopic>(topic: T, cb: (payload: EventPayload<T>) => void): () => void {
  return transport().subscribe(topic, (payload) => {
    const parsed = eventSchemas[topic].safeParse(payload);
    if (parsed.success) cb(parsed.data as EventPayload<T>);
  });
}

export function connectionStatus(): ConnectionStatus {
  return transport().status();
}

export function onConnectionStatus(cb: (status: ConnectionStatus) => void): () => void {
  return transport().onStatus(cb);
}
