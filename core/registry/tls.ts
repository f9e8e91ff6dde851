import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { type ClientRequest, Agent as HttpAgent, type AgentOptions as HttpAgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { join } from 'node:path';
import { type ConnectionOptions, createSecureContext, rootCertificates } from 'node:tls';
import type { AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';
import { StevedoreError } from '../errors.js';

/** Where Docker keeps per-registry certificates: `certs.d/<host:port>/{ca.crt, client.cert, client.key}`. */
export const SYSTEM_CERTS_DIR = '/etc/docker/certs.d';
const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'];

/** A registry host (`name:port`, `[fd00::1]:443`, a bare IPv6 address) as its name, lowercase, and its port if it gives one. */
function splitHost(host: string): { name: string; port?: string } {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(host);
  if (bracketed) return { name: bracketed[1]!.toLowerCase(), ...(bracketed[2] ? { port: bracketed[2] } : {}) };
  const parts = host.split(':');
  if (parts.length !== 2) return { name: host.toLowerCase() };
  return { name: parts[0]!.toLowerCase(), port: parts[1]! };
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1, with or without a port. */
export function isLoopbackHost(host: string): boolean {
  const { name } = splitHost(host);
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
  /** Through the proxy the environment names for it (proxyFor), or straight to the host. */
  readonly https: HttpAgent;
  readonly http: HttpAgent;
  /** The proxies the agents go through, by scheme ('' for none): for errors to name. */
  readonly proxies: { https: string; http: string };
  close(): void;
}

/**
 * The proxy the environment names for a host (`HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY`, in
 * lower or upper case, `NO_PROXY` leaving hosts out), '' for none. As docker's daemon (Go's
 * ProxyFromEnvironment), a loopback host is never sent through one.
 */
export function proxyFor(scheme: 'https' | 'http', host: string): string {
  const noProxy = process.env.NO_PROXY || process.env.no_proxy || '';
  if (isLoopbackHost(host) || inNoProxyDomain(host, scheme === 'https' ? 443 : 80, noProxy)) return '';
  const proxy = getProxyForUrl(`${scheme}://${host}/`);
  if (proxy && !URL.canParse(proxy)) {
    // Not quoted: a proxy URL may carry a password.
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `the proxy the environment names for ${scheme} (${scheme.toUpperCase()}_PROXY or ALL_PROXY) is not a URL`,
    );
  }
  return proxy;
}

/**
 * Go's reading of a `NO_PROXY` entry, which proxy-from-env reads otherwise: `example.com` leaves
 * out its subdomains too (`registry.example.com`), as for docker's daemon; proxy-from-env takes it
 * for that host alone. With a port, the entry is for that port only (`defaultPort` for a host
 * named without one). A CIDR (`10.0.0.0/8`, `fd00::/8`) leaves out a host named by an address in
 * it, which proxy-from-env does not read (as in Go, a name is not resolved for it).
 */
export function inNoProxyDomain(host: string, defaultPort: number, noProxy: string): boolean {
  const { name, port = String(defaultPort) } = splitHost(host);
  const address = isIP(name) ? name : undefined;
  return noProxy
    .toLowerCase()
    .split(/[,\s]+/)
    .some((entry) => {
      if (address && entry.includes('/')) return inSubnet(address, entry);
      const [, domain = '', entryPort] = /^(.*?)(?::(\d+))?$/.exec(entry) ?? [];
      const isDomain = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(domain);
      return isDomain && name.endsWith(`.${domain}`) && (entryPort === undefined || entryPort === port);
    });
}

/** Whether `address` is in the CIDR `entry`; an entry that is no CIDR matches nothing. */
function inSubnet(address: string, entry: string): boolean {
  const [, network = '', bits = ''] = /^(.+)\/(\d{1,3})$/.exec(entry) ?? [];
  const family = isIP(network);
  if (family === 0 || family !== isIP(address) || Number(bits) > (family === 4 ? 32 : 128)) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const subnet = new BlockList();
  subnet.addSubnet(network, Number(bits), type);
  return subnet.check(address, type);
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

/**
 * The proxy a transport's requests of a scheme (or to a URL) go through, without its credentials,
 * for a sentence; undefined for none.
 */
export function proxyShown(transport: Transport, to: 'https' | 'http' | URL): string | undefined {
  const scheme = typeof to === 'string' ? to : to.protocol === 'http:' ? 'http' : 'https';
  const proxy = transport.proxies[scheme];
  if (!proxy) return undefined;
  // A URL: proxyFor checked it.
  const url = new URL(proxy);
  return `${url.protocol}//${url.host}`;
}

/**
 * An https agent through a CONNECT tunnel whose TLS to the registry has the registry's trust (its
 * certs.d CAs, or none checked with --insecure). HttpsProxyAgent takes the TLS options of that
 * connection from each request, not from its own options (those are the proxy's connection's).
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    options: HttpAgentOptions,
    private readonly tls: ConnectionOptions,
  ) {
    super(proxy, options);
  }

  override connect(req: ClientRequest, opts: AgentConnectOpts): ReturnType<HttpsProxyAgent<string>['connect']> {
    return super.connect(req, { ...opts, ...this.tls } as AgentConnectOpts);
  }
}

export function transportFor(host: string, options: TransportOptions): Transport {
  const trust = trustFor(host, options.certDirs);
  const agentOptions = { keepAlive: true, maxSockets: 16 };
  // One secure context for every connection: a CA list is parsed once, not per handshake.
  const secureContext = trust.ca || trust.cert ? createSecureContext(trust) : undefined;
  const tlsOptions = { ...(secureContext ? { secureContext } : {}), rejectUnauthorized: !options.insecure };
  const proxies = { https: proxyFor('https', host), http: proxyFor('http', host) };
  // Through a proxy, https goes in a CONNECT tunnel (the registry's TLS end to end, with its
  // trust), http as requests for the whole URL.
  const https = proxies.https
    ? new TunnelAgent(proxies.https, agentOptions, tlsOptions)
    : new HttpsAgent({ ...agentOptions, ...tlsOptions });
  const http = proxies.http ? new HttpProxyAgent(proxies.http, agentOptions) : new HttpAgent(agentOptions);
  return {
    host,
    allowHttp: options.insecure || isLoopbackHost(host),
    verifyTls: !options.insecure,
    https,
    http,
    proxies,
    close: () => {
      https.destroy();
      http.destroy();
    },
  };
}
