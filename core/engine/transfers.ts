import type { PullResult, PushResult } from '../api/registry.schema.js';
import { StevedoreError } from '../errors.js';
import type { PullRequest, Registries } from '../registry/registries.js';
import type { SecretCipher } from '../registry/sealedCredentials.js';
import { givenName } from './givenName.js';
import type { HandlersOf, MethodsOf } from './handlerSlice.js';
import { recordImageEvent } from './imageEvents.js';
import type { Services } from './services.js';

export type TransferMethods = 'images.pull' | 'images.push' | MethodsOf<'transfers'> | MethodsOf<'registry'>;

/** Pulls, pushes, logins, tags and catalogs; the transfers running and their cancel switches. */
export class TransfersService {
  private registriesLoaded?: Promise<Registries>;
  private registriesReady?: Registries;

  constructor(
    private readonly s: Services,
    /** `secrets`: the window's keychain (Electron safeStorage), to seal the logins the app saves. */
    private readonly options: { secrets?: SecretCipher | undefined },
  ) {}

  /** Loaded at first use: HTTP, TLS and the registry client are not every command's start-up cost. */
  registries(): Promise<Registries> {
    this.registriesLoaded ??= import('../registry/registries.js').then(({ Registries }) => {
      this.registriesReady = new Registries(
        this.s.core.store,
        {
          progress: (event) => this.s.core.emit('transfer.progress', event),
          ended: (status) => this.s.core.emit('transfer.ended', status),
        },
        {},
        this.options.secrets,
      );
      return this.registriesReady;
    });
    return this.registriesLoaded;
  }

  /** Lets go of registry connections (keep-alive sockets), if any were made, so the process can end. */
  closeConnections(): void {
    this.registriesReady?.close();
  }

  async pull(request: PullRequest): Promise<PullResult> {
    const result = await (await this.registries()).pull(request);
    recordImageEvent(this.s.core.store.root, 'pull', result.reference, result.reference);
    this.s.core.emit('images.changed', { reason: 'pull' });
    return result;
  }

  /** Pushes a local image to `target`, or to the registry its own name (`ref`) points at. */
  async push(request: {
    ref: string;
    target?: string | undefined;
    insecure?: boolean | undefined;
    transferId?: string | undefined;
  }): Promise<PushResult> {
    const image = this.s.images.resolve(request.ref);
    const target = request.target || givenName(image, request.ref);
    if (!target) {
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        `say where to push ${request.ref}: a name such as registry.example:5000/app:tag`,
      );
    }
    return (await this.registries()).push(image, { target, insecure: request.insecure, transferId: request.transferId });
  }
}

/** The transfers service's methods for the Router; the registry client loads at the first call that needs it. */
export function transferHandlers(s: Services): HandlersOf<TransferMethods> {
  const registries = () => s.transfers.registries();
  return {
    'images.pull': async (args) => s.transfers.pull(args),
    'images.push': async (args) => s.transfers.push(args),
    'transfers.list': async () => (await registries()).listTransfers(),
    'transfers.cancel': async ({ transferId }) => (await registries()).cancelTransfer(transferId),
    'registry.login': async (args) => (await registries()).login(args),
    'registry.logout': async ({ registry }) => (await registries()).logout(registry),
    'registry.tags': async ({ repository, insecure }) => (await registries()).tags(repository, insecure),
    'registry.catalog': async ({ registry, insecure, limit }) => (await registries()).catalog(registry, insecure, limit),
    'registry.list': async () => (await registries()).list(),
    'registry.add': async (args) => (await registries()).add(args),
    'registry.remove': async ({ registry }) => (await registries()).remove(registry),
  };
}
