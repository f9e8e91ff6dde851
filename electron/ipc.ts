import { ipcMain, type WebContents } from 'electron';
import type { EngineClient } from '../core/api/engineClient.js';
import { eventSchemas } from '../core/api/events.schema.js';

export const INVOKE_CHANNEL = 'stevedore:invoke';
export const SUBSCRIBE_CHANNEL = 'stevedore:subscribe';
export const UNSUBSCRIBE_CHANNEL = 'stevedore:unsubscribe';
export const EVENT_CHANNEL = 'stevedore:event';

/**
 * The whole IPC surface: one invoke channel into the engine's client (the Router of the engine in
 * this process), and topic subscriptions that forward its events. Calls are accepted only from
 * the app's own page.
 */
export function wireIpc(client: EngineClient, isTrusted: (sender: WebContents, frameUrl: string | undefined) => boolean): void {
  const subscriptions = new Map<number, Map<string, () => void>>();

  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, args: unknown) => {
    if (!isTrusted(event.sender, event.senderFrame?.url)) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'calls are accepted only from the Stevedore window' } };
    }
    return client.invoke(String(method), args);
  });

  ipcMain.on(SUBSCRIBE_CHANNEL, (event, topic: unknown) => {
    if (typeof topic !== 'string' || !Object.hasOwn(eventSchemas, topic)) return;
    if (!isTrusted(event.sender, event.senderFrame?.url)) return;
    const sender = event.sender;
    let forSender = subscriptions.get(sender.id);
    if (!forSender) {
      forSender = new Map();
      subscriptions.set(sender.id, forSender);
      sender.once('destroyed', () => {
        for (const off of subscriptions.get(sender.id)?.values() ?? []) off();
        subscriptions.delete(sender.id);
      });
    }
    if (forSender.has(topic)) return;
    forSender.set(
      topic,
      client.subscribe(topic, (payload) => {
        if (!sender.isDestroyed()) sender.send(EVENT_CHANNEL, topic, payload);
      }),
    );
  });

  ipcMain.on(UNSUBSCRIBE_CHANNEL, (event, topic: unknown) => {
    const forSender = subscriptions.get(event.sender.id);
    if (typeof topic !== 'string' || !forSender) return;
    forSender.get(topic)?.();
    forSender.delete(topic);
  });
}
