import type { EngineClient } from '../api/engineClient.js';
import { type EventPayload, type EventTopic, eventSchemas } from '../api/events.schema.js';
import { Router } from '../api/router.js';
import type { Engine } from '../engine.js';

/**
 * An engine in this process, reached as every other face reaches one: through the Router, so a
 * call validates, fails and is named exactly as it would through the engine socket.
 */
export function inProcessClient(engine: Engine): EngineClient {
  const router = new Router(engine.handlers());
  return {
    invoke: (method, args) => router.invoke(method, args),
    subscribe(topic, listener) {
      // As on the wire: a topic the contract does not name has no events, rather than an error.
      if (!Object.hasOwn(eventSchemas, topic)) return () => undefined;
      return engine.on(topic as EventTopic, listener as (payload: EventPayload<EventTopic>) => void);
    },
  };
}
