import { StevedoreError } from '../../errors.js';
import type { Credential } from '../credentials.js';
import { isLoopbackHost } from '../tls.js';
import type { Scope } from './scope.js';

export interface Token {
  token: string;
  /** Epoch milliseconds after which the token is not used again. */
  expiresAt: number;
}

/** How the authenticator reaches a token server: one request, the answer's status and text. */
export type TokenHttp = (
  url: URL,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; text: string }>;

/** distribution docs/spec/auth/token.md: a token lives `expires_in` seconds (60 when unsaid) from `issued_at`. */
const DEFAULT_LIFETIME_S = 60;
const CLIENT_ID = 'stevedore';

/** A realm must be https: it receives credentials. Plain http is allowed on loopback only. */
export function checkRealm(realm: string, registry: string): URL {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new StevedoreError('REGISTRY_ERROR', `${registry} names an invalid token realm "${realm}"`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.host)) return url;
  throw new StevedoreError(
    'REGISTRY_ERROR',
    `${registry} sends clients to ${url.origin} for tokens; refusing a realm that is not https (only loopback may use http)`,
  );
}

/**
 * Asks the token server for a token with these scopes: GET with Basic credentials (or none, for
 * an anonymous token), or the OAuth2 refresh-token POST when the login is an identity token.
 */
export async function fetchToken(
  http: TokenHttp,
  registry: string,
  params: { realm: string; service?: string },
  scopes: Scope[],
  credential: Credential | undefined,
): Promise<Token> {
  const url = checkRealm(params.realm, registry);
  let response: { status: number; text: string };
  const started = Date.now();
  if (credential?.identityToken) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credential.identityToken,
      client_id: CLIENT_ID,
    });
    if (params.service) form.set('service', params.service);
    if (scopes.length) form.set('scope', scopes.join(' '));
    response = await http(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
  } else {
    if (params.service) url.searchParams.set('service', params.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = {};
    if (credential) {
      url.searchParams.set('account', credential.username);
      headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
    }
    response = await http(url, { method: 'GET', headers });
  }
  if (response.status === 401 || response.status === 403) {
    throw new StevedoreError(
      'UNAUTHORIZED',
      credential ? `${registry} refused the credentials of ${credential.username}` : `login required for ${registry}`,
    );
  }
  if (response.status !== 200) {
    throw new StevedoreError('REGISTRY_ERROR', `the token server of ${registry} answered HTTP ${response.status}`);
  }
  let body: { token?: string; access_token?: string; expires_in?: number; issued_at?: string };
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new StevedoreError('REGISTRY_ERROR', `the token server of ${registry} sent an answer that is not JSON`);
  }
  const token = body.token || body.access_token;
  if (!token) throw new StevedoreError('REGISTRY_ERROR', `the token server of ${registry} sent no token`);
  const lifetime = (body.expires_in && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_S) * 1000;
  const issued = body.issued_at ? Date.parse(body.issued_at) : Number.NaN;
  // Our clock, not the server's, decides: a skewed server clock must not make a fresh token look old.
  const base = Number.isNaN(issued) || Math.abs(issued - started) > 5 * 60_000 ? started : Math.min(issued, started);
  // Renew a little early, so that a token does not expire in flight.
  return { token, expiresAt: base + lifetime - Math.min(10_000, lifetime / 4) };
}
