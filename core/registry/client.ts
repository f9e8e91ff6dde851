import { setTimeout as delay } from 'node:timers/promises';
import { StevedoreError } from '../errors.js';
import { DEFAULT_DOMAIN } from '../oci/reference.js';
import { VERSION } from '../version.js';
import { Authenticator } from './auth/authenticator.js';
import { mergeScopes, type Scope } from './auth/scope.js';
import type { TokenHttp } from './auth/tokens.js';
import type { Credential, CredentialStore } from './credentials.js';
import {
  type ErrorContext,
  isCertificateError,
  isTransientNetworkError,
  networkError,
  registryError,
  retryAfterSeconds,
} from './errors.js';
import { type Body, cancelled, discard, type HttpResponse, header, readBody, send } from './http.js';
import { isLoopbackHost, proxyShown, type Transport, transportFor } from './tls.js';

export interface RetryPolicy {
  /** Tries after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this fails at once, telling the wait, rather than blocking. */
  maxRetryAfterS: number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 5, baseDelayMs: 200, maxDelayMs: 5000, maxRetryAfterS: 30 };

export interface ClientOptions {
  credentials: Pick<CredentialStore, 'get'>;
  /** Skip TLS verification and allow http (`--insecure`, or a registry marked insecure). */
  insecure?: boolean;
  /** Folders holding `<host>/ca.crt` (Docker's certs.d convention). */
  certDirs?: string[];
  retry?: Partial<RetryPolicy>;
}

export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** A path under the registry (`/v2/...`), or an absolute URL the registry gave (an upload Location). */
  path: string;
  headers?: Record<string, string>;
  body?: Body;
  scopes: Scope[];
  signal?: AbortSignal;
  /** What the request is about, for error sentences. */
  context?: Omit<ErrorContext, 'host' | 'user'>;
  /** Statuses handed back rather than thrown (default: 2xx). */
  accept?: (status: number) => boolean;
  /** Retry transient failures with the same request (default true; false where a retry is not safe). */
  retry?: boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
const USER_AGENT = `stevedore/${VERSION}`;

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Docker Hub's API lives on another host than its name. */
export function endpointHost(host: string): string {
  return host === DEFAULT_DOMAIN ? 'registry-1.docker.io' : host;
}

/**
 * One registry, spoken to over the distribution spec: picks https (or http where allowed) at the
 * /v2/ ping, authenticates as the registry's challenge asks, retries transient failures with
 * backoff, and follows redirects without carrying the Authorization header to another host.
 */
export class RegistryClient {
  readonly host: string;
  private readonly endpoint: string;
  private readonly transport: Transport;
  private readonly auth: Authenticator;
  private readonly retry: RetryPolicy;
  private readonly otherTransports = new Map<string, Transport>();
  private base: URL | undefined;
  private pinging: Promise<void> | undefined;

  constructor(
    host: string,
    private readonly options: ClientOptions,
  ) {
    this.host = host;
    this.endpoint = endpointHost(host);
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.transport = transportFor(this.endpoint, { insecure: !!options.insecure, certDirs: options.certDirs ?? [] });
    this.auth = new Authenticator(host, () => options.credentials.get(host), this.tokenHttp);
  }

  /** The user whose login is used, if any (after the first request). */
  get user(): string | undefined {
    return this.auth.user;
  }

  /** Checks a login before it is saved: the next requests use it instead of the stored one. */
  useCredential(credential: Credential | undefined): void {
    this.auth.useCredential(credential);
  }

  /** The scheme the registry speaks: https, or http for loopback and insecure registries. */
  get url(): string | undefined {
    return this.base?.origin;
  }

  private transportForUrl(url: URL): Transport {
    if (url.host === this.endpoint) return this.transport;
    let t = this.otherTransports.get(url.host);
    if (!t) {
      t = transportFor(url.host, { insecure: false, certDirs: this.options.certDirs ?? [] });
      this.otherTransports.set(url.host, t);
    }
    return t;
  }

  private readonly tokenHttp: TokenHttp = async (url, init) => {
    const transport = this.transportForUrl(url);
    let lastError: unknown;
    for (let attempt = 0; attempt <= 2; attempt++) {
      try {
        const res = await send({
          method: init.method,
          url,
          headers: { 'user-agent': USER_AGENT, ...init.headers },
          ...(init.body !== undefined ? { body: Buffer.from(init.body) } : {}),
          agent: url.protocol === 'https:' ? transport.https : transport.http,
        });
        return { status: res.status, text: (await readBody(res, 1 << 20)).toString('utf8') };
      } catch (err) {
        lastError = err;
        if (!isTransientNetworkError(err)) break;
        await delay(this.backoff(attempt));
      }
    }
    throw networkError(lastError, url.host, proxyShown(transport, url));
  };

  private backoff(attempt: number): number {
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
    return exp / 2 + Math.random() * (exp / 2);
  }

  private async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    try {
      await delay(ms, undefined, signal ? { signal } : {});
    } catch {
      throw cancelled();
    }
  }

  /** `GET /v2/`: decides the scheme and learns how the registry wants clients to authenticate. */
  async ping(signal?: AbortSignal): Promise<void> {
    if (this.base) return;
    this.pinging ??= this.doPing(signal).finally(() => {
      this.pinging = undefined;
    });
    return this.pinging;
  }

  private async pingOnce(
    scheme: 'https' | 'http',
    signal?: AbortSignal,
    { retryNetworkErrors = true } = {},
  ): Promise<HttpResponse> {
    const url = new URL(`${scheme}://${this.endpoint}/v2/`);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await send({
          method: 'GET',
          url,
          headers: { 'user-agent': USER_AGENT },
          agent: scheme === 'https' ? this.transport.https : this.transport.http,
          ...(signal ? { signal } : {}),
          idleTimeoutMs: 30_000,
        });
        if (isRetryableStatus(res.status) && attempt < this.retry.retries) {
          discard(res);
          await this.sleep(this.backoff(attempt), signal);
          continue;
        }
        return res;
      } catch (err) {
        if (isTransientNetworkError(err) && scheme === 'http' && retryNetworkErrors && attempt < this.retry.retries) {
          await this.sleep(this.backoff(attempt), signal);
          continue;
        }
        throw err;
      }
    }
  }

  /** https; then http where that is allowed (`--insecure`, a registry marked insecure), as docker does. */
  private async pingRemote(signal?: AbortSignal): Promise<HttpResponse> {
    try {
      return await this.pingOnce('https', signal);
    } catch (err) {
      if ((err as StevedoreError).code === 'CANCELLED') throw err;
      // A registry that does not speak TLS: http, where that is allowed (as docker does for localhost).
      if (!this.transport.allowHttp || isCertificateError(err))
        throw networkError(err, this.host, proxyShown(this.transport, 'https'));
      try {
        return await this.pingOnce('http', signal);
      } catch (err2) {
        if ((err2 as StevedoreError).code === 'CANCELLED') throw err2;
        throw networkError(err2, this.host, proxyShown(this.transport, 'http'));
      }
    }
  }

  /**
   * A registry on this machine is asked over plain http first: traffic that never leaves the
   * machine gains nothing from TLS, most local registries speak http, and a TLS attempt costs a
   * round trip and the CA store's loading. Anything but a registry's answer (200 or 401: a TLS
   * port answers plain http with 400, or drops it) sends the ping to https as before.
   */
  private async pingLoopback(signal?: AbortSignal): Promise<HttpResponse> {
    let plain: HttpResponse | undefined;
    try {
      plain = await this.pingOnce('http', signal, { retryNetworkErrors: false });
    } catch (err) {
      if ((err as StevedoreError).code === 'CANCELLED') throw err;
    }
    if (plain && (plain.status === 200 || plain.status === 401)) return plain;
    if (plain) discard(plain);
    // Then as any registry: https, and http again (with retries) when it is not TLS either, whose
    // answer is the one reported (a 404 is "not a registry"). Loopback always allows http.
    return this.pingRemote(signal);
  }

  private async doPing(signal?: AbortSignal): Promise<void> {
    const res = isLoopbackHost(this.endpoint) ? await this.pingLoopback(signal) : await this.pingRemote(signal);
    const text = (await readBody(res, 64 << 10).catch(() => Buffer.alloc(0))).toString('utf8');
    if (res.status === 401) this.auth.setChallenge(header(res.headers, 'www-authenticate'));
    else if (res.status !== 200) {
      if (res.status === 404) {
        throw new StevedoreError('REGISTRY_ERROR', `${this.host} is not a registry (GET /v2/ answered 404)`);
      }
      throw registryError(res.status, text, res.headers, { host: this.host });
    }
    this.base = new URL(`${res.url.protocol}//${this.endpoint}`);
  }

  /** Sends a request with auth, retries and redirects; throws the registry's refusal as a sentence. */
  async request(req: RegistryRequest): Promise<HttpResponse> {
    await this.ping(req.signal);
    const accept = req.accept ?? ((s: number) => s >= 200 && s < 300);
    let scopes = req.scopes;
    let reauthenticated = false;
    for (let attempt = 0; ; ) {
      let res: HttpResponse;
      try {
        res = await this.sendFollowingRedirects(req, scopes);
      } catch (err) {
        if ((err as StevedoreError).code === 'CANCELLED' || req.signal?.aborted) throw cancelled();
        if (err instanceof StevedoreError) throw err;
        if (req.retry !== false && isTransientNetworkError(err) && attempt < this.retry.retries) {
          await this.sleep(this.backoff(attempt++), req.signal);
          continue;
        }
        throw networkError(err, this.host, proxyShown(this.transport, this.base ?? 'https'));
      }
      if (res.status === 401 && !reauthenticated && !accept(401)) {
        // An expired or too narrow token, or a registry that asks for auth only here: ask again once.
        discard(res);
        reauthenticated = true;
        const asked = this.auth.setChallenge(header(res.headers, 'www-authenticate'));
        this.auth.forget(scopes);
        scopes = mergeScopes([...scopes, ...asked]);
        continue;
      }
      if (isRetryableStatus(res.status) && !accept(res.status) && req.retry !== false && attempt < this.retry.retries) {
        const after = retryAfterSeconds(res.headers);
        if (after === undefined || after <= this.retry.maxRetryAfterS) {
          discard(res);
          await this.sleep(after !== undefined ? after * 1000 : this.backoff(attempt), req.signal);
          attempt++;
          continue;
        }
      }
      if (accept(res.status)) return res;
      let text = '';
      if (req.method === 'HEAD') discard(res);
      else text = (await readBody(res, 64 << 10).catch(() => Buffer.alloc(0))).toString('utf8');
      const ctx: ErrorContext = { ...req.context, host: this.host };
      if (this.auth.user) ctx.user = this.auth.user;
      throw registryError(res.status, text, res.headers, ctx);
    }
  }

  private async sendFollowingRedirects(req: RegistryRequest, scopes: Scope[]): Promise<HttpResponse> {
    const base = this.base!;
    let url = new URL(req.path, base);
    let method = req.method;
    let body = req.body;
    const authorization = await this.auth.authorization(scopes);
    for (let hops = 0; ; hops++) {
      const sameHost = url.host === base.host;
      if (url.protocol === 'http:' && base.protocol === 'https:' && !isLoopbackHost(url.host)) {
        throw new StevedoreError('REGISTRY_ERROR', `${this.host} redirected to plain http (${url.host}); refusing the downgrade`);
      }
      const transport = this.transportForUrl(url);
      const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...req.headers };
      // Credentials stay with the registry: never forwarded to the host a redirect names (blob storage, a CDN).
      if (authorization && sameHost) headers.authorization = authorization;
      const res = await send({
        method,
        url,
        headers,
        ...(body !== undefined ? { body } : {}),
        agent: url.protocol === 'https:' ? transport.https : transport.http,
        ...(req.signal ? { signal: req.signal } : {}),
      });
      const location = header(res.headers, 'location');
      if (
        !REDIRECTS.has(res.status) ||
        !location ||
        (method !== 'GET' && method !== 'HEAD' && res.status !== 307 && res.status !== 308)
      ) {
        return res;
      }
      discard(res);
      if (hops >= MAX_REDIRECTS)
        throw new StevedoreError('REGISTRY_ERROR', `${this.host} redirected more than ${MAX_REDIRECTS} times`);
      url = new URL(location, url);
      if (res.status === 303) {
        method = 'GET';
        body = undefined;
      }
    }
  }

  close(): void {
    this.transport.close();
    for (const t of this.otherTransports.values()) t.close();
  }
}
