import WebSocket from 'ws';
import { BRIDGE_PROTOCOL, bridgeProtocols } from '../../core/api/bridgeProtocol';
import type { InvokeResponse } from '../../core/api/contract';
import type { WebApp } from './webApp';

/**
 * How a client presents itself to the bridge: `token` as the page sends it (a subprotocol, see
 * core/api/bridgeProtocol.ts), or whatever else an attacker might try: a query, headers.
 * A string is the query callers wrote before the token moved out of the URL (`?token=T`): its
 * token is sent as the page sends it.
 */
export type BridgeAccess = string | { token?: string | undefined; query?: string; headers?: Record<string, string> };

/**
 * Opens the web bridge's WebSocket as a page would (or as an attacker might): resolves with the
 * socket, or with the HTTP status that refused the upgrade.
 */
export function connectBridge(
  app: WebApp,
  access: BridgeAccess,
  origin?: string,
): Promise<{ socket?: WebSocket; refusedWith?: number }> {
  const given: Exclude<BridgeAccess, string> =
    typeof access === 'string' ? { token: new URLSearchParams(access).get('token') ?? undefined } : access;
  const protocols = given.token === undefined ? [BRIDGE_PROTOCOL] : bridgeProtocols(given.token);
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${app.port}/api${given.query ?? ''}`, protocols, {
      ...(origin ? { origin } : {}),
      headers: given.headers ?? {},
    });
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
