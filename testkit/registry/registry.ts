import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { whoHasPort } from '../portOwner.js';
import type { CertFiles } from './certs.js';
import { writeHtpasswd } from './htpasswd.js';
import type { TokenServer } from './tokenServer.js';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface RegistryOptions {
  /** Basic auth against an htpasswd file made from these users. */
  htpasswd?: Record<string, string>;
  /** distribution's token auth, trusting the test issuer's signing certificate. */
  token?: { server: TokenServer; signing: CertFiles; service?: string };
  /** Serve https with this certificate (made by the test, signed by its CA). */
  tls?: CertFiles;
}

/** A real `docker-registry` (distribution 2.8) on a random 127.0.0.1 port, with its own storage. */
export interface RunningRegistry {
  /** host:port, as a reference names it: `127.0.0.1:41234`. */
  host: string;
  port: number;
  url: string;
  /** The registry's storage root (`docker/registry/v2/...` below it). */
  storage: string;
  /** Where a blob's bytes live on disk, to alter them in a test. */
  blobDataPath(digest: string): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function ping(url: string, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const req = (tls ? httpsRequest : request)(
      `${url}/v2/`,
      { method: 'GET', rejectUnauthorized: false, timeout: 1000 },
      (res) => {
        res.resume();
        resolve(true);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function registryConfig(options: RegistryOptions, dir: string, storage: string, port: number): object {
  const http: Record<string, unknown> = { addr: `127.0.0.1:${port}`, secret: 'stevedore-test', headers: {} };
  if (options.tls) http.tls = { certificate: options.tls.cert, key: options.tls.key };
  let auth: object | undefined;
  if (options.htpasswd) {
    const path = join(dir, 'htpasswd');
    writeHtpasswd(path, options.htpasswd);
    auth = { htpasswd: { realm: 'stevedore-test', path } };
  } else if (options.token) {
    auth = {
      token: {
        realm: options.token.server.realm,
        service: options.token.service ?? 'stevedore-test-registry',
        issuer: options.token.server.issuer,
        rootcertbundle: options.token.signing.cert,
      },
    };
  }
  return {
    version: '0.1',
    log: { level: 'error', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: storage },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http,
    ...(auth ? { auth } : {}),
  };
}

/** Starts the registry and waits until it answers /v2/; a port lost to a race is retried. */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'stevedore-registry-'));
  const storage = join(dir, 'storage');
  mkdirSync(storage);
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const configPath = join(dir, 'config.yml');
    // YAML is a superset of JSON, so the config is written as JSON.
    writeFileSync(configPath, JSON.stringify(registryConfig(options, dir, storage, port)));
    const child = spawn(REGISTRY_BINARY, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    let stderr = '';
    child.stderr?.on('data', (c) => {
      stderr += c;
    });
    let exited = false;
    const exit = new Promise<void>((resolve) =>
      child.on('exit', () => {
        exited = true;
        running.delete(child);
        resolve();
      }),
    );
    const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    while (!exited && Date.now() < deadline) {
      if (await ping(url, !!options.tls)) {
        return {
          host: `127.0.0.1:${port}`,
          port,
          url,
          storage,
          blobDataPath: (digest) => {
            const hex = digest.slice(digest.indexOf(':') + 1);
            return join(storage, 'docker/registry/v2/blobs', digest.slice(0, digest.indexOf(':')), hex.slice(0, 2), hex, 'data');
          },
          stop: async () => {
            if (!exited) {
              child.kill('SIGTERM');
              await Promise.race([exit, new Promise((r) => setTimeout(r, 2000))]);
              if (!exited) child.kill('SIGKILL');
            }
            rmSync(dir, { recursive: true, force: true });
          },
        };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!exited) {
      child.kill('SIGKILL');
      await exit;
      throw new Error(`docker-registry did not answer on ${url} within 15 s: ${stderr}\n${whoHasPort(port)}`);
    }
    if (!/address already in use/.test(stderr)) throw new Error(`docker-registry exited: ${stderr}`);
  }
  throw new Error('docker-registry found no free port in 5 tries');
}
