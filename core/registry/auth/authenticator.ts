import { StevedoreError } from '../../errors.js';
import type { Credential } from '../credentials.js';
import { type Challenge, parseChallenges } from './challenge.js';
import { covers, mergeScopes, type Scope } from './scope.js';
import { fetchToken, type Token, type TokenHttp } from './tokens.js';

/**
 * The auth state of one registry: the challenge it sent (from the /v2/ ping or a 401), the
 * login (looked up once), and bearer tokens cached by scope until they expire.
 */
export class Authenticator {
  private challenge: Challenge | undefined;
  private credential: Promise<Credential | undefined> | undefined;
  private known: Credential | undefined;
  private readonly tokens = new Map<string, Token & { scopes: Scope[] }>();
  /** Token requests in flight by scope: concurrent blobs wait for the same one. */
  private readonly pending = new Map<string, Promise<Token>>();

  constructor(
    private readonly registry: string,
    private readonly lookup: () => Promise<Credential | undefined>,
    private readonly http: TokenHttp,
  ) {}

  /** The user whose credentials are sent, for error messages. */
  get user(): string | undefined {
    return this.known?.username;
  }

  /** Takes the challenge of a 401 answer (`WWW-Authenticate`); returns its scope, if it names one. */
  setChallenge(header: string | undefined): Scope[] {
    const challenges = parseChallenges(header);
    const chosen = challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
    if (chosen) this.challenge = chosen;
    const scope = chosen?.params.scope;
    return scope ? scope.split(' ') : [];
  }

  get scheme(): string | undefined {
    return this.challenge?.scheme;
  }

  private async login(): Promise<Credential | undefined> {
    this.credential ??= this.lookup().then((c) => {
      this.known = c;
      return c;
    });
    return this.credential;
  }

  /** Uses these credentials instead of the stored ones (`login` checks them before saving). */
  useCredential(credential: Credential | undefined): void {
    this.credential = Promise.resolve(credential);
    this.known = credential;
    this.tokens.clear();
  }

  /** The Authorization header for a request needing these scopes, if the registry asked for one. */
  async authorization(scopes: Scope[]): Promise<string | undefined> {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    const credential = await this.login();
    if (challenge.scheme === 'basic') {
      if (!credential) return undefined;
      return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
    }
    if (challenge.scheme !== 'bearer') {
      throw new StevedoreError(
        'REGISTRY_ERROR',
        `${this.registry} asks for ${challenge.scheme} authentication, which is not supported`,
      );
    }
    const now = Date.now();
    for (const cached of this.tokens.values()) {
      if (cached.expiresAt > now && covers(cached.scopes, scopes)) return `Bearer ${cached.token}`;
    }
    const wanted = mergeScopes(scopes);
    const realm = challenge.params.realm;
    if (!realm) throw new StevedoreError('REGISTRY_ERROR', `${this.registry} asks for a bearer token but names no realm`);
    const key = wanted.join(' ');
    let fetching = this.pending.get(key);
    if (!fetching) {
      fetching = fetchToken(
        this.http,
        this.registry,
        { realm, ...(challenge.params.service ? { service: challenge.params.service } : {}) },
        wanted,
        credential,
      ).finally(() => this.pending.delete(key));
      this.pending.set(key, fetching);
    }
    const token = await fetching;
    this.tokens.set(key, { ...token, scopes: wanted });
    return `Bearer ${token.token}`;
  }

  /** After a 401 despite a token: forget the tokens covering these scopes, so the next try asks anew. */
  forget(scopes: Scope[]): void {
    for (const [key, cached] of this.tokens) if (covers(cached.scopes, scopes)) this.tokens.delete(key);
  }
}
