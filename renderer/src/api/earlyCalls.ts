import type { InvokeResponse, Method } from '../../../core/api/contract';
import type { EventTopic } from '../../../core/api/events.schema';
import { windowTransport } from './windowTransport';

interface EarlyCall {
  response: Promise<InvokeResponse>;
  /** Whether the engine said, since the call went out, that what it read has changed. */
  stale: () => boolean;
  stopWatching: () => void;
}

const early = new Map<Method, EarlyCall>();

/**
 * Asks the engine for `method` (with no arguments) as the page starts, while the rest of the app
 * still loads: the first view's data is then there when the app first renders. `changedTopic` is
 * the event that makes the answer out of date; it is subscribed before the call goes out, so a
 * change in between is never missed.
 */
export function askEarly(method: Method, changedTopic: EventTopic): void {
  const transport = windowTransport();
  let changed = false;
  const stopWatching = transport.subscribe(changedTopic, () => {
    changed = true;
  });
  const call: EarlyCall = { response: transport.invoke(method, {}), stale: () => changed, stopWatching };
  early.set(method, call);
}

/** The answer askEarly got for `method`, once, unless it went out of date; then the caller asks again. */
export function takeEarly(method: Method): Promise<InvokeResponse> | undefined {
  const call = early.get(method);
  if (!call) return undefined;
  early.delete(method);
  return call.response.then((response) => {
    call.stopWatching();
    return call.stale() ? windowTransport().invoke(method, {}) : response;
  });
}
