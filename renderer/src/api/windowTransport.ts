import { takeAccessToken } from './accessToken';
import { electronBridge, electronTransport } from './electronTransport';
import { bridgeUrl, socketTransport } from './socketTransport';
import type { Transport } from './transport';

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

/**
 * The window's one transport, made at its first use: Electron's preload bridge when there is
 * one, else the web bridge. Kept apart from client.ts, which loads the contract's schemas, so the
 * page's entry can open the connection before the rest of the app has loaded.
 */
export function windowTransport(): Transport {
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
  windowTransport();
  return missingToken;
}
