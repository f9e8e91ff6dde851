/**
 * How a page proves to the web bridge (core/server/webServer.ts) that it holds the access token.
 * Browsers cannot set headers on a WebSocket, so the token rides in `Sec-WebSocket-Protocol`
 * (RFC 6455 §4.1), as Kubernetes does with `base64url.bearer.authorization.k8s.io.<token>`: the
 * client offers [BRIDGE_PROTOCOL, TOKEN_PROTOCOL_PREFIX + token] and the server selects
 * BRIDGE_PROTOCOL, never echoing the token. Unlike a cookie it goes only where the page's own
 * code sends it; unlike a URL it is not in history, logs or a Referer. The token is hex, which is
 * a valid protocol name.
 */
export const BRIDGE_PROTOCOL = 'stevedore.v1';
export const TOKEN_PROTOCOL_PREFIX = 'stevedore.token.';

/** The subprotocols a client offers to open the bridge with `token`. */
export function bridgeProtocols(token: string): string[] {
  return [BRIDGE_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}
