import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StevedoreError } from '../errors.js';
import { type Credential, CredentialStore, dockerConfigDir } from './credentials.js';

/**
 * Encryption by the operating system's keychain. In the window this is Electron's safeStorage
 * (Keychain, DPAPI, libsecret); the CLI and web mode have none and use Docker's config.json.
 */
export interface SecretCipher {
  /** False where no keychain is reachable (safeStorage.isEncryptionAvailable()). */
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
  /**
   * Linux only: the secret store safeStorage chose (`getSelectedStorageBackend()`). `basic_text`
   * means no keyring was found and Chromium "encrypts" with a key written in its own source:
   * obfuscation, not encryption, so nothing is sealed with it.
   */
  backend?(): string;
}

/** safeStorage's Linux fallback when no keyring answers: a fixed, public key. */
const NOT_A_KEYCHAIN = 'basic_text';

type SealedFile = Record<string, string>;

/**
 * Logins the app saves, sealed by the keychain in `<root>/registry/sealed-credentials.json`
 * (each value encrypted; the file itself also 0600). Reads look there first, then where docker
 * keeps logins, so a `docker login` still works in the app.
 */
export class SealedCredentials extends CredentialStore {
  private readonly sealedFile: string;

  constructor(
    root: string,
    private readonly cipher: SecretCipher,
    dockerDir: string = dockerConfigDir(),
  ) {
    super(dockerDir);
    this.sealedFile = join(root, 'registry', 'sealed-credentials.json');
  }

  private readSealed(): SealedFile {
    try {
      return JSON.parse(readFileSync(this.sealedFile, 'utf8')) as SealedFile;
    } catch {
      return {};
    }
  }

  private writeSealed(sealed: SealedFile): void {
    mkdirSync(dirname(this.sealedFile), { recursive: true, mode: 0o700 });
    const temp = `${this.sealedFile}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temp, `${JSON.stringify(sealed, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.sealedFile);
  }

  /** Whether logins are sealed: a keychain is reachable and it is one (not basic_text). */
  private sealing(): boolean {
    return this.cipher.available() && this.cipher.backend?.() !== NOT_A_KEYCHAIN;
  }

  override whereFor(host: string): string {
    return this.sealing() ? 'the system keychain' : super.whereFor(host);
  }

  override async get(host: string): Promise<Credential | undefined> {
    const sealed = this.readSealed()[host];
    if (sealed && this.cipher.available()) {
      try {
        return JSON.parse(this.cipher.decrypt(Buffer.from(sealed, 'base64'))) as Credential;
      } catch {
        throw new StevedoreError('UNAUTHORIZED', `the saved login for ${host} cannot be read with this keychain; log in again`);
      }
    }
    return super.get(host);
  }

  override async store(host: string, credential: Credential): Promise<string> {
    if (!this.sealing()) {
      // Where docker would keep it, and said so; an older sealed login must not shadow the new one.
      const sealed = this.readSealed();
      if (host in sealed) {
        delete sealed[host];
        this.writeSealed(sealed);
      }
      return super.store(host, credential);
    }
    const sealed = this.readSealed();
    sealed[host] = this.cipher.encrypt(JSON.stringify(credential)).toString('base64');
    this.writeSealed(sealed);
    return 'the system keychain';
  }

  override async erase(host: string): Promise<boolean> {
    const sealed = this.readSealed();
    const had = host in sealed;
    if (had) {
      delete sealed[host];
      this.writeSealed(sealed);
    }
    return (await super.erase(host)) || had;
  }

  override hosts(): string[] {
    return [...new Set([...Object.keys(this.readSealed()), ...super.hosts()])].sort();
  }
}
