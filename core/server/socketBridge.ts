import type { WebSocket } from 'ws';
import { z } from 'zod';
import { type EventTopic, eventSchemas } from '../api/events.schema.js';
import type { Router } from '../api/router.js';
import type { Engine } from '../engine.js';

/** Messages a page sends; the bridge answers invokes by id and pushes events for subscribed topics. */
const clientMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('invoke'), id: z.number(), method: z.string(), args: z.unknown() }),
  z.object({ kind: z.literal('subscribe'), topic: z.string() }),
  z.object({ kind: z.literal('unsubscribe'), topic: z.string() }),
]);

export function serveSocket(ws: WebSocket, router: Router, engine: Engine): void {
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
      send({ kind: 'result', id: message.id, response: await router.invoke(message.method, message.args) });
    } else if (message.kind === 'subscribe') {
      if (!Object.hasOwn(eventSchemas, message.topic) || subscriptions.has(message.topic)) return;
      const topic = message.topic as EventTopic;
      subscriptions.set(
        topic,
        engine.on(topic, (payload) => send({ kind: 'event', topic, payload })),
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
