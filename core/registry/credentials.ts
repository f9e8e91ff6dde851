import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { StevedoreError } from '../errors.js';
import { DEFAULT_DOMAIN } from '../oci/reference.js';

/** A login for one registry. An identity token (Docker's `<token>` user) is an OAuth2 refresh token. */
export interface Credential {
  username: string;
  password: string;
  identityToken?: string;
}

/** The parts of Docker's config.json (docker/cli configfile) that hold credentials; the rest is kept as is. */
interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [other: string]: unknown;
}

/** docker.io's credentials live under the key the v1 index had. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
/** credential-helpers protocol: a helper reports a missing entry with this message. */
const NOT_FOUND = /credentials not found/i;
const TOKEN_USER = '<token>';

/** `$DOCKER_CONFIG`, else `~/.docker`, as docker and podman read it. */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || join(homedir(), '.docker');
}

/** The host a config.json key names: `https://index.docker.io/v1/` -> docker.io, `http://h:5000` -> h:5000. */
export function hostOfKey(key: string): string {
  const host = key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? DEFAULT_DOMAIN : host;
}

export function keyForHost(host: string): string {
  return host === DEFAULT_DOMAIN ? DOCKER_HUB_KEY : host;
}

function runHelper(helper: string, op: 'get' | 'store' | 'erase' | 'list', input: string): Promise<string> {
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const child = spawn(program, [op], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new StevedoreError(
              'NOT_FOUND',
              `${program} is not installed, but Docker's config.json names it as a credential helper`,
            )
          : e,
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else
        reject(
          Object.assign(new Error(`${program} ${op} failed: ${(out + err).trim() || `exit ${code}`}`), {
            helperOutput: out + err,
          }),
        );
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/**
 * Credentials as docker keeps them, so that a login works with docker and podman too:
 * `credHelpers[host]`, else `credsStore`, through `docker-credential-<name>`; else base64 `auths`.
 */
export class CredentialStore {
  constructor(readonly dir: string = dockerConfigDir()) {}

  get file(): string {
    return join(this.dir, 'config.json');
  }

  private read(): DockerConfig {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as DockerConfig) : {};
    } catch {
      throw new StevedoreError('INVALID_ARGUMENT', `${this.file} is not valid JSON`);
    }
  }

  private write(config: DockerConfig): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const temp = join(this.dir, `.config.json.${randomBytes(4).toString('hex')}`);
    writeFileSync(temp, `${JSON.stringify(config, null, '\t')}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }

  private helperFor(config: DockerConfig, host: string): string | undefined {
    for (const [key, helper] of Object.entries(config.credHelpers ?? {})) if (hostOfKey(key) === host) return helper;
    return config.credsStore || undefined;
  }

  /** Where a login for this host is kept: a helper's name, or config.json. */
  whereFor(host: string): string {
    const helper = this.helperFor(this.read(), host);
    return helper ? `docker-credential-${helper}` : this.file;
  }

  async get(host: string): Promise<Credential | undefined> {
    const config = this.read();
    const helper = this.helperFor(config, host);
    if (helper) {
      let out: string;
      try {
        out = await runHelper(helper, 'get', keyForHost(host));
      } catch (err) {
        if (NOT_FOUND.test(String((err as { helperOutput?: string }).helperOutput ?? ''))) return undefined;
        throw err;
      }
      const entry = JSON.parse(out) as { Username?: string; Secret?: string };
      if (!entry.Secret) return undefined;
      if (entry.Username === TOKEN_USER) return { username: TOKEN_USER, password: '', identityToken: entry.Secret };
      return { username: entry.Username ?? '', password: entry.Secret };
    }
    for (const [key, entry] of Object.entries(config.auths ?? {})) {
      if (hostOfKey(key) !== host) continue;
      let username = entry.username ?? '';
      let password = entry.password ?? '';
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon !== -1) {
          username = decoded.slice(0, colon);
          password = decoded.slice(colon + 1);
        }
      }
      if (entry.identitytoken) return { username, password, identityToken: entry.identitytoken };
      if (username || password) return { username, password };
    }
    return undefined;
  }

  /** Saves a login; returns where it went. */
  async store(host: string, credential: Credential): Promise<string> {
    const config = this.read();
    const helper = this.helperFor(config, host);
    const key = keyForHost(host);
    config.auths ??= {};
    for (const k of Object.keys(config.auths)) if (hostOfKey(k) === host) delete config.auths[k];
    if (helper) {
      await runHelper(
        helper,
        'store',
        JSON.stringify({ ServerURL: key, Username: credential.username, Secret: credential.password }),
      );
      // docker leaves an empty entry, so that tools listing `auths` see the login.
      config.auths[key] = {};
    } else {
      config.auths[key] = { auth: Buffer.from(`${credential.username}:${credential.password}`).toString('base64') };
    }
    this.write(config);
    return helper ? `docker-credential-${helper}` : this.file;
  }

  /** Removes a login; false when there was none. */
  async erase(host: string): Promise<boolean> {
    const config = this.read();
    const helper = this.helperFor(config, host);
    let removed = false;
    if (helper) {
      try {
        await runHelper(helper, 'erase', keyForHost(host));
        removed = true;
      } catch (err) {
        if (!NOT_FOUND.test(String((err as { helperOutput?: string }).helperOutput ?? ''))) throw err;
      }
    }
    for (const k of Object.keys(config.auths ?? {})) {
      if (hostOfKey(k) !== host) continue;
      delete config.auths![k];
      removed = true;
    }
    if (removed) this.write(config);
    return removed;
  }

  /** Hosts with a login in config.json (a helper keeps the secret; `auths` still lists the host). */
  hosts(): string[] {
    return [...new Set(Object.keys(this.read().auths ?? {}).map(hostOfKey))].sort();
  }
}
