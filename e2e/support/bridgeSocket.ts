import WebSocket from 'ws';
import type { InvokeResponse } from '../../core/api/contract';
import type { WebApp } from './webApp';

/**
 * Opens the web bridge's WebSocket as a page would (or as an attacker might): resolves with the
 * socket, or with the HTTP status that refused the upgrade.
 */
export function connectBridge(
  app: WebApp,
  query: string,
  origin?: string,
): Promise<{ socket?: WebSocket; refusedWith?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${app.port}/api${query}`, origin ? { origin } : {});
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ refusedWith: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', () => resolve({ refusedWith: -1 }));
  });
}

let nextId = 1;

/** One call over an open bridge socket, by the protocol the renderer speaks. */
export function invokeOverBridge(socket: WebSocket, method: string, args: unknown): Promise<InvokeResponse> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as { kind: string; id?: number; response?: InvokeResponse };
      if (message.kind !== 'result' || message.id !== id || !message.response) return;
      socket.off('message', onMessage);
      resolve(message.response);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ kind: 'invoke', id, method, args }));
  });
}
