import { randomUUID, sign, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CertFiles } from './certs.js';

/** One access grant in a token, as distribution's token auth reads it (docs/spec/auth/jwt.md). */
export interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** What the test issuer decides: the actions a user (undefined = anonymous) gets for a scope. */
export type Policy = (user: string | undefined, access: Access) => string[];

export interface TokenRequest {
  user: string | undefined;
  service: string | null;
  scopes: string[];
}

/** Signed-in users get what they ask for; anonymous users may pull repositories under public/. */
export const defaultPolicy: Policy = (user, access) => {
  if (user) return access.actions;
  return access.type === 'repository' && access.name.startsWith('public/') ? access.actions.filter((a) => a === 'pull') : [];
};

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function parseScope(scope: string): Access | undefined {
  // distribution's scope grammar: type:name:actions, where name may itself hold a colon (host:port).
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first === -1 || last === first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',') };
}

/**
 * The token issuer of distribution's token auth (docs/spec/auth/token.md), the one stand-in the
 * tests allow: it checks Basic credentials, grants by policy and signs an ES256 JWT whose x5c
 * header carries the signing certificate, which the registry trusts through rootcertbundle.
 */
export class TokenServer {
  readonly requests: TokenRequest[] = [];
  private server: Server | undefined;
  private port = 0;
  expiresIn = 300;

  constructor(
    private readonly signing: CertFiles,
    private readonly users: Record<string, string>,
    readonly issuer = 'stevedore-test-issuer',
    private readonly policy: Policy = defaultPolicy,
  ) {}

  get realm(): string {
    return `http://127.0.0.1:${this.port}/token`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/token') {
        res.writeHead(404).end();
        return;
      }
      let user: string | undefined;
      const header = req.headers.authorization;
      if (header?.startsWith('Basic ')) {
        const [name, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
        if (!name || this.users[name] !== rest.join(':')) {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"invalid credentials"}');
          return;
        }
        user = name;
      }
      const scopes = url.searchParams
        .getAll('scope')
        .flatMap((s) => s.split(' '))
        .filter(Boolean);
      this.requests.push({ user, service: url.searchParams.get('service'), scopes });
      const access = scopes
        .map(parseScope)
        .filter((a): a is Access => a !== undefined)
        .map((a) => ({ ...a, actions: this.policy(user, a) }))
        .filter((a) => a.actions.length > 0);
      const token = this.sign(user ?? '', url.searchParams.get('service') ?? '', access);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token, access_token: token, expires_in: this.expiresIn, issued_at: new Date().toISOString() }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private sign(subject: string, audience: string, access: Access[]): string {
    const der = new X509Certificate(this.signing.certPem).raw;
    const header = { typ: 'JWT', alg: 'ES256', x5c: [der.toString('base64')] };
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: this.issuer,
      sub: subject,
      aud: audience,
      iat: now,
      nbf: now - 5,
      exp: now + this.expiresIn,
      jti: randomUUID(),
      access,
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.signing.keyPem, dsaEncoding: 'ieee-p1363' });
    return `${input}.${base64url(signature)}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
