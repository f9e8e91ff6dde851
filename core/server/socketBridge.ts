import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { EngineClient } from '../api/engineClient.js';
import { eventSchemas } from '../api/events.schema.js';

/** Messages a page sends; the bridge answers invokes by id and pushes events for subscribed topics. */
const clientMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('invoke'), id: z.number(), method: z.string(), args: z.unknown() }),
  z.object({ kind: z.literal('subscribe'), topic: z.string() }),
  z.object({ kind: z.literal('unsubscribe'), topic: z.string() }),
]);

/**
 * Serves one WebSocket (a page of the web bridge, a client of the engine socket or of a machine's
 * agent) from `client`, the face's in-process EngineClient: its calls, its events.
 */
export function serveSocket(ws: WebSocket, client: EngineClient): void {
  const subscriptions = new Map<string, () => void>();
  const send = (message: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  // A malformed frame or one over maxPayload: ws has already sent the close frame (1002, 1009)
  // and ends this connection. Without a listener the 'error' would be thrown and end the engine.
  ws.on('error', () => undefined);
  ws.on('message', async (data) => {
    let message: z.infer<typeof clientMessage>;
    try {
      message = clientMessage.parse(JSON.parse(String(data)));
    } catch {
      send({ kind: 'error', message: 'malformed message' });
      return;
    }
    if (message.kind === 'invoke') {
      send({ kind: 'result', id: message.id, response: await client.invoke(message.method, message.args) });
    } else if (message.kind === 'subscribe') {
      // Only the contract's topics, once each: what a peer sends cannot grow this map without bound.
      if (!Object.hasOwn(eventSchemas, message.topic) || subscriptions.has(message.topic)) return;
      const topic = message.topic;
      subscriptions.set(
        topic,
        client.subscribe(topic, (payload) => send({ kind: 'event', topic, payload })),
      );
    } else {
      subscriptions.get(message.topic)?.();
      subscriptions.delete(message.topic);
    }
  });
  ws.on('close', () => {
    for (const off of subscriptions.values()) off();
    subscriptions.clear();
  });
}
