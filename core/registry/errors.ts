import type { IncomingHttpHeaders } from 'node:http';
import { StevedoreError } from '../errors.js';
import { header } from './http.js';

/** What a failed request was about, so that its error reads as a sentence about it. */
export interface ErrorContext {
  host: string;
  /** The repository path (`library/busybox`). */
  repository?: string;
  /** The tag or digest asked for. */
  reference?: string;
  digest?: string;
  /** The user whose credentials were sent, if any. */
  user?: string;
}

interface RegistryErrorBody {
  errors?: { code?: string; message?: string; detail?: unknown }[];
}

/** Parses distribution-spec's error body (`{"errors":[{"code","message","detail"}]}`); anything else is ignored. */
export function parseErrorBody(text: string): { code: string; message: string }[] {
  try {
    const body = JSON.parse(text) as RegistryErrorBody;
    return (body.errors ?? []).map((e) => ({ code: String(e.code ?? ''), message: String(e.message ?? '') }));
  } catch {
    return [];
  }
}

/** Seconds to wait, from Retry-After (seconds or an HTTP date). */
export function retryAfterSeconds(headers: IncomingHttpHeaders): number | undefined {
  const value = header(headers, 'retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function where(ctx: ErrorContext): string {
  return ctx.repository ? `${ctx.host}/${ctx.repository}` : ctx.host;
}

/** A registry's refusal as one sentence (distribution-spec "Error Codes"). */
export function registryError(status: number, bodyText: string, headers: IncomingHttpHeaders, ctx: ErrorContext): StevedoreError {
  const errors = parseErrorBody(bodyText);
  const code = errors[0]?.code ?? '';
  const detail = errors[0]?.message ? `: ${errors[0].message}` : '';
  const repo = where(ctx);
  if (code === 'TOOMANYREQUESTS' || status === 429) {
    const wait = retryAfterSeconds(headers);
    return new StevedoreError(
      'TOO_MANY_REQUESTS',
      `${ctx.host} is limiting requests (too many requests); try again ${wait !== undefined ? `in ${wait} s` : 'later'}`,
    );
  }
  if (code === 'UNAUTHORIZED' || status === 401) {
    if (ctx.user) {
      const scope = ctx.repository ? ` for ${repo}` : '';
      return new StevedoreError('UNAUTHORIZED', `${ctx.host} refused the credentials of ${ctx.user}${scope}`);
    }
    return new StevedoreError('UNAUTHORIZED', `login required for ${ctx.host}`);
  }
  if (code === 'DENIED' || status === 403) {
    return new StevedoreError('DENIED', `access to ${repo} denied${ctx.user ? ` for ${ctx.user}` : ''}${detail}`);
  }
  if (code === 'MANIFEST_UNKNOWN' || (status === 404 && !code && ctx.reference)) {
    const ref = ctx.reference ?? '';
    const what = ref.includes(':') ? `no manifest ${ref}` : `no tag ${ref}`;
    return new StevedoreError('IMAGE_NOT_FOUND', `${what} in ${repo}`);
  }
  if (code === 'NAME_UNKNOWN') return new StevedoreError('IMAGE_NOT_FOUND', `no repository ${repo}`);
  if (code === 'BLOB_UNKNOWN' || (status === 404 && ctx.digest)) {
    return new StevedoreError('BLOB_NOT_FOUND', `${repo} has no blob ${ctx.digest ?? ''}`.trim());
  }
  if (code === 'UNSUPPORTED' || status === 405) {
    return new StevedoreError('REGISTRY_ERROR', `${ctx.host} does not support this operation${detail}`);
  }
  if (code) return new StevedoreError('REGISTRY_ERROR', `${repo}: ${code}${detail}`);
  const statusText = status >= 500 ? ' (server error)' : '';
  return new StevedoreError(
    'REGISTRY_ERROR',
    `${ctx.host} answered HTTP ${status}${statusText}${bodyText ? `: ${bodyText.slice(0, 200)}` : ''}`,
  );
}

/**
 * Network failures as sentences: refused, reset, TLS, timeouts. `proxy`: the one the connection
 * went through (tls.ts, proxyShown), which is what a refusal, a name not found or a timeout is about.
 */
export function networkError(err: unknown, host: string, proxy?: string): StevedoreError {
  if (err instanceof StevedoreError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  if (proxy && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT'].includes(code)) {
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ETIMEDOUT' ? 'no answer' : 'its name is not found';
    return new StevedoreError('UNREACHABLE', `cannot reach the proxy ${proxy} (for ${host}): ${why}`, { cause: err });
  }
  if (code === 'ECONNREFUSED')
    return new StevedoreError('UNREACHABLE', `cannot connect to ${host}: connection refused`, { cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new StevedoreError('UNREACHABLE', `cannot resolve ${host}`, { cause: err });
  if (code === 'ETIMEDOUT') return new StevedoreError('UNREACHABLE', `${host} did not answer: ${e.message}`, { cause: err });
  if (isCertificateError(err)) {
    return new StevedoreError(
      'UNREACHABLE',
      `the TLS certificate of ${host} is not trusted (${e.message}); add its CA as certs.d/${host}/ca.crt, or mark the registry insecure`,
      { cause: err },
    );
  }
  return new StevedoreError('UNREACHABLE', `connection to ${host} failed: ${e?.message ?? String(err)}`, { cause: err });
}

export function isCertificateError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  return (
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID/.test(code) || code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
  );
}

/** Failures worth another try: the connection dropped, or the server is (briefly) unwell. */
export function isTransientNetworkError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  return (
    ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code) ||
    (err as Error)?.message === 'aborted' ||
    (err as Error)?.message === 'socket hang up'
  );
}
