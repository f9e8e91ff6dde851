import type { TransferProgress, TransferStatus } from '../api/events.schema.js';
import type {
  Catalog,
  LoginResult,
  PullResult,
  PushResult,
  RegistryInfo,
  TagList,
  TransferSummary,
} from '../api/registry.schema.js';
import { StevedoreError } from '../errors.js';
import type { ImageRecord } from '../images/imageRecords.js';
import { parsePlatform } from '../oci/platform.js';
import { formatReference, parseReference, parseRepository, parseTaggedReference, type Reference } from '../oci/reference.js';
import type { Store } from '../store/store.js';
import { BlobLocations } from './blobLocations.js';
import { listCatalog } from './catalog.js';
import { RegistryClient, type RetryPolicy } from './client.js';
import { CredentialStore, dockerConfigDir } from './credentials.js';
import { pullImage } from './pull.js';
import { pushImage } from './push.js';
import { SealedCredentials, type SecretCipher } from './sealedCredentials.js';
import { parseRegistryHost, RegistrySettings } from './settings.js';
import { listTags } from './tags.js';
import { SYSTEM_CERTS_DIR } from './tls.js';
import { Transfers } from './transfers.js';
import { type FetchedUrl, fetchUrl } from './urlFetch.js';

export interface PullRequest {
  ref: string;
  platform?: string | undefined;
  allPlatforms?: boolean | undefined;
  insecure?: boolean | undefined;
  transferId?: string | undefined;
}

export interface PushRequest {
  target: string;
  insecure?: boolean | undefined;
  transferId?: string | undefined;
}

export interface RegistriesEvents {
  progress: (event: TransferProgress) => void;
  ended: (status: TransferStatus) => void;
}

/**
 * What the Engine does with registries: clients per host (so tokens are reused), logins in
 * Docker's config, the registries the user added, where blobs are known to live, and the
 * running transfers with their cancel switches.
 */
export class Registries {
  readonly settings: RegistrySettings;
  readonly locations: BlobLocations;
  readonly transfers: Transfers;
  private readonly clients = new Map<string, RegistryClient>();

  constructor(
    private readonly store: Store,
    events: RegistriesEvents,
    private readonly retry: Partial<RetryPolicy> = {},
    /** The window's keychain (Electron safeStorage): logins the app saves are sealed by it. */
    private readonly cipher?: SecretCipher,
  ) {
    this.settings = new RegistrySettings(store.root);
    this.locations = new BlobLocations(store.root);
    this.transfers = new Transfers(events.progress, events.ended);
  }

  /** Read on every use: a login made by docker meanwhile is seen. */
  credentials(): CredentialStore {
    return this.cipher ? new SealedCredentials(this.store.root, this.cipher) : new CredentialStore(dockerConfigDir());
  }

  private certDirs(): string[] {
    return [this.settings.certsDir, SYSTEM_CERTS_DIR];
  }

  /** `ADD <url>` of a build: fetched with the same CA trust as registries (urlFetch.ts). */
  fetchUrl(url: string, signal?: AbortSignal): Promise<FetchedUrl> {
    let host = '';
    try {
      host = new URL(url).host;
    } catch {
      // fetchUrl says it is not a URL
    }
    const insecure = !!this.settings.get(host)?.insecure;
    return fetchUrl(url, { certDirs: this.certDirs(), insecure, ...(signal ? { signal } : {}) });
  }

  client(host: string, insecure?: boolean): RegistryClient {
    const allowInsecure = !!insecure || !!this.settings.get(host)?.insecure;
    const key = `${host}|${allowInsecure}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new RegistryClient(host, {
        credentials: this.credentials(),
        insecure: allowInsecure,
        certDirs: this.certDirs(),
        retry: this.retry,
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** Forgets clients (and their tokens) for a host whose login changed. */
  private drop(host: string): void {
    for (const [key, client] of this.clients) {
      if (key.startsWith(`${host}|`)) {
        client.close();
        this.clients.delete(key);
      }
    }
  }

  async pull(req: PullRequest): Promise<PullResult> {
    const ref = parseReference(req.ref);
    const platform = req.platform ? parsePlatform(req.platform) : undefined;
    if (platform && req.allPlatforms)
      throw new StevedoreError('INVALID_ARGUMENT', 'choose --platform or --all-platforms, not both');
    return this.transfers.run('pull', formatReference(ref), req.transferId, (t) =>
      pullImage(this.store, this.client(ref.domain, req.insecure), ref, {
        ...(platform ? { platform } : {}),
        allPlatforms: !!req.allPlatforms,
        signal: t.signal,
        onProgress: t.progress,
        transferId: t.transferId,
        locations: this.locations,
      }),
    );
  }

  async push(image: ImageRecord, req: PushRequest): Promise<PushResult> {
    let target: Reference;
    try {
      target = parseTaggedReference(req.target);
    } catch (err) {
      if (parseReference(req.target).digest)
        throw new StevedoreError('INVALID_REFERENCE', `cannot push to a digest (${req.target}); name a tag`);
      throw err;
    }
    return this.transfers.run('push', formatReference(target), req.transferId, (t) =>
      pushImage(this.store, this.client(target.domain, req.insecure), image, target, {
        signal: t.signal,
        onProgress: t.progress,
        transferId: t.transferId,
        locations: this.locations,
      }),
    );
  }

  /** Checks the login against the registry (as `docker login` does) before saving it. */
  async login(args: {
    registry: string;
    username: string;
    password: string;
    insecure?: boolean | undefined;
  }): Promise<LoginResult> {
    const host = parseRegistryHost(args.registry);
    if (!args.username) throw new StevedoreError('INVALID_ARGUMENT', 'a username is needed to log in');
    if (!args.password) throw new StevedoreError('INVALID_ARGUMENT', 'a password is needed to log in');
    const credential = { username: args.username, password: args.password };
    const client = new RegistryClient(host, {
      credentials: { get: async () => credential },
      insecure: !!args.insecure || !!this.settings.get(host)?.insecure,
      certDirs: this.certDirs(),
      retry: this.retry,
    });
    try {
      await client.request({ method: 'GET', path: '/v2/', scopes: [] });
    } finally {
      client.close();
    }
    const storedIn = await this.credentials().store(host, credential);
    this.drop(host);
    return { registry: host, username: args.username, storedIn };
  }

  async logout(registry: string): Promise<{ registry: string; removed: boolean }> {
    const host = parseRegistryHost(registry);
    const removed = await this.credentials().erase(host);
    this.drop(host);
    return { registry: host, removed };
  }

  async tags(repository: string, insecure?: boolean): Promise<TagList> {
    const ref = parseRepository(repository);
    const tags = await listTags(this.client(ref.domain, insecure), ref.path);
    // distribution-spec 1.1 wants lexical order; older registries (distribution 2.8) list in storage order.
    return { repository: `${ref.domain}/${ref.path}`, tags: [...tags].sort() };
  }

  async catalog(registry: string, insecure?: boolean, limit?: number): Promise<Catalog> {
    const host = parseRegistryHost(registry);
    const repositories = await listCatalog(this.client(host, insecure), limit !== undefined ? { limit } : {});
    return { registry: host, repositories };
  }

  /** The registries added here, and those with a login in Docker's config; each with its user. */
  async list(): Promise<RegistryInfo[]> {
    const credentials = this.credentials();
    const added = this.settings.list();
    const hosts = [...new Set([...added.map((r) => r.host), ...credentials.hosts()])].sort();
    return Promise.all(
      hosts.map(async (host) => {
        const setting = added.find((r) => r.host === host);
        const login = await credentials.get(host).catch(() => undefined);
        return {
          host,
          insecure: !!setting?.insecure,
          hasCa: this.settings.hasCa(host),
          username: login?.username ?? null,
          added: !!setting,
        };
      }),
    );
  }

  async add(args: { registry: string; insecure?: boolean | undefined; caPem?: string | undefined }): Promise<RegistryInfo> {
    const host = parseRegistryHost(args.registry);
    this.settings.add(host, {
      ...(args.insecure !== undefined ? { insecure: args.insecure } : {}),
      ...(args.caPem !== undefined ? { caPem: args.caPem } : {}),
    });
    this.drop(host);
    return (await this.list()).find((r) => r.host === host)!;
  }

  async remove(registry: string): Promise<{ registry: string; removed: boolean }> {
    const host = parseRegistryHost(registry);
    const removed = this.settings.remove(host);
    this.drop(host);
    return { registry: host, removed };
  }

  listTransfers(): TransferSummary[] {
    return this.transfers.list();
  }

  cancelTransfer(transferId: string): { transferId: string; cancelled: boolean } {
    return { transferId, cancelled: this.transfers.cancel(transferId) };
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
