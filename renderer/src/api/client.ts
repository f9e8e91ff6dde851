import { type Args, contract, type Method, type Result } from '../../../core/api/contract';
import { type EventPayload, type EventTopic, eventSchemas } from '../../../core/api/events.schema';
import { takeAccessToken } from './accessToken';
import { ApiError } from './apiError';
import { electronBridge, electronTransport } from './electronTransport';
import { bridgeUrl, socketTransport } from './socketTransport';
import type { ConnectionStatus, Transport } from './transport';

let current: Transport | undefined;
/** Web mode opened without the access token (not from the printed URL, not kept by this tab). */
let missingToken = false;

/** window.sessionStorage, which merely reading throws where the browser refuses storage. */
function sessionStorageOrNone(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** The window's transport: Electron's preload bridge when there is one, else the web bridge. */
function transport(): Transport {
  if (!current) {
    const bridge = electronBridge();
    if (bridge) current = electronTransport(bridge);
    else {
      const token = takeAccessToken(window.location, window.history, sessionStorageOrNone());
      missingToken = token === undefined;
      current = socketTransport(bridgeUrl(window.location), token);
    }
  }
  return current;
}

/**
 * Whether this window cannot reach the engine for want of the token: the bridge would refuse it
 * for ever, so the app shows how to get in instead of "Reconnecting…".
 */
export function accessTokenMissing(): boolean {
  transport();
  return missingToken;
}

/**
 * Calls the engine. Resolves with the result the contract promises, checked against its schema so
 * that a view never renders a shape it was not written for; rejects with an ApiError otherwise.
 */
export async function invoke<M extends Method>(method: M, args: Args<M>): Promise<Result<M>> {
  const response = await transport().invoke(method, args);
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
