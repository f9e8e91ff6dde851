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

/**
 * One call over an open bridge socket, by the protocol the renderer speaks; rejects if the socket
 * closes before the answer (a server that died must fail the test, not hang it).
 */
export function invokeOverBridge(socket: WebSocket, method: string, args: unknown): Promise<InvokeResponse> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    if (socket.readyState !== WebSocket.OPEN) {
      reject(new Error(`the bridge socket was not open for ${method}`));
      return;
    }
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as { kind: string; id?: number; response?: InvokeResponse };
      if (message.kind !== 'result' || message.id !== id || !message.response) return;
      done();
      resolve(message.response);
    };
    const onClose = () => {
      done();
      reject(new Error(`the bridge socket closed before ${method} was answered`));
    };
    const onError = () => undefined; // 'close' follows and rejects
    const done = () => {
      socket.off('message', onMessage);
      socket.off('close', onClose);
      socket.off('error', onError);
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.on('error', onError);
    socket.send(JSON.stringify({ kind: 'invoke', id, method, args }));
  });
}
