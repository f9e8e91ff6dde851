import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createSecureContext, rootCertificates } from 'node:tls';

/** Where Docker keeps per-registry certificates: `certs.d/<host:port>/{ca.crt, client.cert, client.key}`. */
export const SYSTEM_CERTS_DIR = '/etc/docker/certs.d';
const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'];

/** localhost, *.localhost, 127.0.0.0/8 and ::1, with or without a port. */
export function isLoopbackHost(host: string): boolean {
  let name = host;
  if (name.startsWith('[')) name = name.slice(1, name.indexOf(']'));
  else if (name.split(':').length === 2) name = name.slice(0, name.lastIndexOf(':'));
  name = name.toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1';
}

export interface TransportOptions {
  /** Skip certificate checks and allow plain http (`--insecure`, or a registry marked insecure). */
  insecure: boolean;
  /** Directories holding `<host>/` folders of certificates, searched in order. */
  certDirs: string[];
}

/** How to reach one registry host: whether http is allowed, and the agents with its TLS settings. */
export interface Transport {
  readonly host: string;
  /** http is allowed only for loopback hosts and registries marked insecure. */
  readonly allowHttp: boolean;
  readonly verifyTls: boolean;
  readonly https: HttpsAgent;
  readonly http: HttpAgent;
  close(): void;
}

function readAll(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}

/** The CA certificates to trust for a host: the system's plus any `*.crt` in its certs.d folders. */
export function trustFor(host: string, certDirs: string[]): { ca?: string[]; cert?: string; key?: string } {
  const extra: string[] = [];
  let cert: string | undefined;
  let key: string | undefined;
  // Docker names the folder host:port; on Windows-safe trees a colon may be written as '_'.
  for (const base of certDirs) {
    for (const name of new Set([host, host.replace(':', '_')])) {
      const dir = join(base, name);
      if (!existsSync(dir)) continue;
      extra.push(...readAll(dir, '.crt'));
      cert ??= readAll(dir, '.cert')[0];
      key ??= readAll(dir, '.key')[0];
    }
  }
  const result: { ca?: string[]; cert?: string; key?: string } = {};
  if (extra.length > 0) {
    // node's `ca` replaces its defaults, so the system's CAs come along.
    const system = SYSTEM_CA_BUNDLES.filter(existsSync).map((f) => readFileSync(f, 'utf8'));
    result.ca = [...rootCertificates, ...system, ...extra];
  }
  if (cert && key) {
    result.cert = cert;
    result.key = key;
  }
  return result;
}

export function transportFor(host: string, options: TransportOptions): Transport {
  const trust = trustFor(host, options.certDirs);
  const agentOptions = { keepAlive: true, maxSockets: 16 };
  // One secure context for every connection: a CA list is parsed once, not per handshake.
  const secureContext = trust.ca || trust.cert ? createSecureContext(trust) : undefined;
  const https = new HttpsAgent({
    ...agentOptions,
    ...(secureContext ? { secureContext } : {}),
    rejectUnauthorized: !options.insecure,
  });
  const http = new HttpAgent(agentOptions);
  return {
    host,
    allowHttp: options.insecure || isLoopbackHost(host),
    verifyTls: !options.insecure,
    https,
    http,
    close: () => {
      https.destroy();
      http.destroy();
    },
  };
}
