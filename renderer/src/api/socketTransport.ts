import { BRIDGE_PROTOCOL, bridgeProtocols } from '../../../core/api/bridgeProtocol';
import type { InvokeResponse } from '../../../core/api/contract';
import type { ConnectionStatus, Transport } from './transport';

/** What the web bridge (core/server/socketBridge.ts) sends back. */
type ServerMessage =
  | { kind: 'result'; id: number; response: InvokeResponse }
  | { kind: 'event'; topic: string; payload: unknown }
  | { kind: 'error'; message: string };

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

/** ws://host/api on the server that served this page (the token goes in a subprotocol, never the URL). */
export function bridgeUrl(location: Location): string {
  const url = new URL('/api', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  return url.toString();
}

/**
 * The engine over one WebSocket: calls made before the socket opens wait in a queue, a dropped
 * socket is reopened with backoff and re-subscribes its topics. Calls that were on the wire when
 * it dropped fail with DISCONNECTED rather than being sent again: a call like images.remove must
 * not run twice.
 */
export function socketTransport(url: string, token: string | undefined): Transport {
  // Without a token the bridge refuses the socket; offering the protocol alone keeps the retries honest.
  const protocols = token === undefined ? [BRIDGE_PROTOCOL] : bridgeProtocols(token);
  let socket: WebSocket | undefined;
  let status: ConnectionStatus = 'connecting';
  let nextId = 1;
  let retryMs = FIRST_RETRY_MS;
  /** Frames asked for while the socket was not open, with the call id when the frame is an invoke. */
  const queued: { text: string; id?: number }[] = [];
  const waiting = new Map<number, (response: InvokeResponse) => void>();
  /** Calls sent on the current socket: the ones a drop leaves unanswered. */
  const onWire = new Set<number>();
  const topics = new Map<string, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();

  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    for (const cb of statusListeners) cb(next);
  };

  const send = (frame: unknown, id?: number) => {
    const text = JSON.stringify(frame);
    if (socket?.readyState !== WebSocket.OPEN) {
      queued.push(id === undefined ? { text } : { text, id });
      return;
    }
    socket.send(text);
    if (id !== undefined) onWire.add(id);
  };

  const onMessage = (event: MessageEvent) => {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(event.data)) as ServerMessage;
    } catch {
      return;
    }
    if (message.kind === 'result') {
      waiting.get(message.id)?.(message.response);
      waiting.delete(message.id);
      onWire.delete(message.id);
    } else if (message.kind === 'event') {
      for (const cb of topics.get(message.topic) ?? []) cb(message.payload);
    } else {
      console.warn(`engine bridge: ${message.message}`);
    }
  };

  const connect = () => {
    const ws = new WebSocket(url, protocols);
    socket = ws;
    ws.onopen = () => {
      retryMs = FIRST_RETRY_MS;
      // Subscriptions die with the socket; the queue holds only what was asked while it was down.
      for (const topic of topics.keys()) ws.send(JSON.stringify({ kind: 'subscribe', topic }));
      for (const { text, id } of queued.splice(0)) {
        ws.send(text);
        if (id !== undefined) onWire.add(id);
      }
      setStatus('open');
    };
    ws.onmessage = onMessage;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      for (const id of onWire) {
        waiting.get(id)?.({
          ok: false,
          error: { code: 'DISCONNECTED', message: 'Lost connection to the engine before it answered.' },
        });
        waiting.delete(id);
      }
      onWire.clear();
      setStatus('reconnecting');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    };
  };
  connect();

  return {
    invoke(method, args) {
      const id = nextId++;
      return new Promise<InvokeResponse>((resolve) => {
        waiting.set(id, resolve);
        send({ kind: 'invoke', id, method, args }, id);
      });
    },
    subscribe(topic, cb) {
      let listeners = topics.get(topic);
      if (!listeners) {
        listeners = new Set();
        topics.set(topic, listeners);
        // While disconnected, onopen subscribes every topic in the map; queuing too would double it.
        if (socket?.readyState === WebSocket.OPEN) send({ kind: 'subscribe', topic });
      }
      listeners.add(cb);
      return () => {
        listeners.delete(cb);
        if (listeners.size > 0 || topics.get(topic) !== listeners) return;
        topics.delete(topic);
        if (socket?.readyState === WebSocket.OPEN) send({ kind: 'unsubscribe', topic });
      };
    },
    status: () => status,
    onStatus(cb) {
      statusListeners.add(cb);
      return () => statusListeners.delete(cb);
    },
  };
}
