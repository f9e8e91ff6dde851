import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StevedoreError } from '../errors.js';
import { writeFileAtomic } from '../system/atomicFile.js';

/** A registry the user added, with how to reach it. */
export interface RegistrySetting {
  host: string;
  insecure: boolean;
}

/** `host[:port]`, as a reference's first component names a registry. */
const hostPattern =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;

/** Accepts `host:port`, or a URL people paste (`https://host:port/`); returns the host. */
export function parseRegistryHost(text: string): string {
  const host = text
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  if (!hostPattern.test(host))
    throw new StevedoreError('INVALID_ARGUMENT', `"${text}" is not a registry host (host or host:port)`);
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

/**
 * Registries added in the app or the CLI, kept in `<root>/registries.json`; a CA given for one
 * is written as `<root>/certs.d/<host>/ca.crt`, Docker's convention, which the TLS setup reads.
 */
export class RegistrySettings {
  readonly file: string;
  readonly certsDir: string;

  constructor(root: string) {
    this.file = join(root, 'registries.json');
    this.certsDir = join(root, 'certs.d');
  }

  list(): RegistrySetting[] {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { registries?: RegistrySetting[] };
      return (parsed.registries ?? [])
        .filter((r) => typeof r.host === 'string')
        .map((r) => ({ host: r.host, insecure: !!r.insecure }));
    } catch {
      return [];
    }
  }

  get(host: string): RegistrySetting | undefined {
    return this.list().find((r) => r.host === host);
  }

  hasCa(host: string): boolean {
    return existsSync(join(this.certsDir, host, 'ca.crt'));
  }

  private write(list: RegistrySetting[]): void {
    mkdirSync(join(this.file, '..'), { recursive: true });
    writeFileAtomic(this.file, `${JSON.stringify({ registries: list }, null, 2)}\n`);
  }

  add(host: string, options: { insecure?: boolean; caPem?: string }): RegistrySetting {
    if (options.caPem !== undefined) {
      if (!/-----BEGIN CERTIFICATE-----/.test(options.caPem)) {
        throw new StevedoreError('INVALID_ARGUMENT', 'the CA must be a PEM certificate (-----BEGIN CERTIFICATE-----)');
      }
      mkdirSync(join(this.certsDir, host), { recursive: true });
      writeFileSync(join(this.certsDir, host, 'ca.crt'), options.caPem);
    }
    const setting = { host, insecure: !!options.insecure };
    this.write([...this.list().filter((r) => r.host !== host), setting].sort((a, b) => a.host.localeCompare(b.host)));
    return setting;
  }

  remove(host: string): boolean {
    const list = this.list();
    const kept = list.filter((r) => r.host !== host);
    rmSync(join(this.certsDir, host), { recursive: true, force: true });
    if (kept.length === list.length) return false;
    this.write(kept);
    return true;
  }
}
