import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { Router } from '../api/router.js';
import { Engine } from '../engine.js';
import { parseChallenges } from './auth/challenge.js';
import { covers, mergeScopes } from './auth/scope.js';
import { checkRealm } from './auth/tokens.js';
import { RegistryClient } from './client.js';
import { hostOfKey, keyForHost } from './credentials.js';
import { registryError } from './errors.js';
import { readBody } from './http.js';
import { nextLink } from './pagination.js';
import { parseRegistryHost } from './settings.js';
import { isLoopbackHost } from './tls.js';

const work = tempDir('stevedore-registry-units-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

describe('registry protocol pieces', () => {
  it('parses WWW-Authenticate challenges, quoted commas and several schemes', () => {
    assert.deepEqual(
      parseChallenges('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"'),
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' },
        },
      ],
    );
    assert.deepEqual(parseChallenges('Basic realm="Registry Realm", Bearer realm="x"'), [
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      { scheme: 'bearer', params: { realm: 'x' } },
    ]);
    assert.deepEqual(parseChallenges(undefined), []);
  });

  it('merges scopes for push-with-mount and knows when a token covers a request', () => {
    assert.deepEqual(mergeScopes(['repository:b:push', 'repository:a:pull', 'repository:b:pull']), [
      'repository:a:pull',
      'repository:b:pull,push',
    ]);
    assert.ok(covers(['repository:b:pull,push'], ['repository:b:pull']));
    assert.ok(!covers(['repository:b:pull'], ['repository:b:push']));
    assert.ok(covers(['repository:127.0.0.1:5000/x:pull'], ['repository:127.0.0.1:5000/x:pull']));
  });

  it('follows Link headers to the next page', () => {
    assert.equal(nextLink('</v2/_catalog?last=b&n=2>; rel="next"'), '/v2/_catalog?last=b&n=2');
    assert.equal(nextLink(undefined), undefined);
  });

  it('turns registry error bodies into sentences', () => {
    const body = (code: string, message = '') => JSON.stringify({ errors: [{ code, message }] });
    const ctx = { host: 'r.example', repository: 'team/app', reference: 'v9' };
    assert.equal(registryError(401, body('UNAUTHORIZED'), {}, ctx).message, 'login required for r.example');
    assert.equal(
      registryError(401, body('UNAUTHORIZED'), {}, { ...ctx, user: 'bob' }).message,
      'r.example refused the credentials of bob for r.example/team/app',
    );
    assert.equal(registryError(404, body('MANIFEST_UNKNOWN'), {}, ctx).message, 'no tag v9 in r.example/team/app');
    assert.equal(registryError(404, body('NAME_UNKNOWN'), {}, ctx).message, 'no repository r.example/team/app');
    assert.equal(
      registryError(403, body('DENIED', 'requested access to the resource is denied'), {}, ctx).message,
      'access to r.example/team/app denied: requested access to the resource is denied',
    );
    const limited = registryError(429, body('TOOMANYREQUESTS'), { 'retry-after': '30' }, ctx);
    assert.equal(limited.code, 'TOO_MANY_REQUESTS');
    assert.equal(limited.message, 'r.example is limiting requests (too many requests); try again in 30 s');
    assert.equal(registryError(502, 'bad gateway', {}, ctx).message, 'r.example answered HTTP 502 (server error): bad gateway');
  });

  it('maps hosts to Docker config.json keys the way docker does', () => {
    assert.equal(keyForHost('docker.io'), 'https://index.docker.io/v1/');
    assert.equal(hostOfKey('https://index.docker.io/v1/'), 'docker.io');
    assert.equal(hostOfKey('http://r.example:5000/v2/'), 'r.example:5000');
    assert.equal(parseRegistryHost('https://R.example:5000/'), 'r.example:5000');
    assert.throws(() => parseRegistryHost('not a host'), { code: 'INVALID_ARGUMENT' });
  });

  it('allows plain http only on loopback, also for token realms', () => {
    for (const host of ['localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000', 'foo.localhost'])
      assert.ok(isLoopbackHost(host), host);
    for (const host of ['10.0.0.1:5000', 'r.example', 'localhost.example.com']) assert.ok(!isLoopbackHost(host), host);
    assert.equal(checkRealm('http://127.0.0.1:9/token', 'r').host, '127.0.0.1:9');
    assert.throws(() => checkRealm('http://auth.example/token', 'r.example'), /refusing a realm that is not https/);
  });
});

describe('the client never forwards Authorization to the host a redirect names', () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });

  async function listen(handler: (url: string, headers: IncomingHttpHeaders, res: import('node:http').ServerResponse) => void) {
    const server = createServer((req, res) => handler(req.url ?? '', req.headers, res));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }

  it('sends Basic credentials to the registry, none to the blob store it redirects to', async () => {
    const seen: { where: string; authorization: string | undefined }[] = [];
    const storage = await listen((url, headers, res) => {
      seen.push({ where: `storage${url}`, authorization: headers.authorization });
      res.end('blob bytes');
    });
    const registry = await listen((url, headers, res) => {
      seen.push({ where: `registry${url}`, authorization: headers.authorization });
      if (!headers.authorization) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
        return;
      }
      res.writeHead(307, { location: `http://127.0.0.1:${storage}/data?sig=1` }).end();
    });
    const client = new RegistryClient(`127.0.0.1:${registry}`, {
      credentials: { get: async () => ({ username: 'bob', password: 'secret' }) },
    });
    const res = await client.request({ method: 'GET', path: '/v2/app/blobs/sha256:abc', scopes: [] });
    assert.equal((await readBody(res)).toString(), 'blob bytes');
    client.close();
    const basic = `Basic ${Buffer.from('bob:secret').toString('base64')}`;
    assert.deepEqual(seen, [
      { where: 'registry/v2/', authorization: undefined },
      { where: 'registry/v2/app/blobs/sha256:abc', authorization: basic },
      { where: 'storage/data?sig=1', authorization: undefined },
    ]);
  });
});

describe('the ping of a registry on this machine', () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });

  /** A plain-http server on loopback; `tlsAttempts` counts connections that began with a TLS hello. */
  async function plainServer(status: number) {
    const seen = { requests: [] as string[], tlsAttempts: 0 };
    const server = createServer((req, res) => {
      seen.requests.push(`${req.method} ${req.url}`);
      res.writeHead(status, { 'docker-distribution-api-version': 'registry/2.0' }).end('{}');
    });
    server.on('clientError', (_err, socket) => {
      seen.tlsAttempts++;
      socket.destroy();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { seen, host: `127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  it('asks a plain-http registry over http once, without trying TLS first', async () => {
    const { seen, host } = await plainServer(200);
    const client = new RegistryClient(host, { credentials: { get: async () => undefined } });
    await client.ping();
    client.close();
    assert.equal(client.url, `http://${host}`);
    assert.deepEqual(seen, { requests: ['GET /v2/'], tlsAttempts: 0 });
  });

  it('tries TLS when http gets no registry answer, and reports what http said', async () => {
    const { seen, host } = await plainServer(404);
    const client = new RegistryClient(host, { credentials: { get: async () => undefined } });
    await assert.rejects(client.ping(), /is not a registry \(GET \/v2\/ answered 404\)/);
    client.close();
    assert.equal(seen.tlsAttempts, 1);
  });
});

describe('the registry methods of the API contract', () => {
  it('validates arguments at the router and reports transfers', async () => {
    const engine = new Engine(join(work, 'store'));
    const router = new Router(engine.handlers());
    const bad = await router.invoke('images.pull', { platform: 'linux/amd64' });
    assert.deepEqual(bad, {
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'invalid arguments for images.pull (ref): Invalid input: expected string, received undefined',
      },
    });
    assert.deepEqual(await router.invoke('transfers.list', {}), { ok: true, value: [] });
    // An id not started yet is cancelled ahead: the transfer ends as it starts (transfers.test.ts).
    assert.deepEqual(await router.invoke('transfers.cancel', { transferId: 'not-yet' }), {
      ok: true,
      value: { transferId: 'not-yet', cancelled: true },
    });
    const invalid = await router.invoke('images.pull', { ref: 'Not A Ref' });
    assert.equal(invalid.ok, false);
    assert.deepEqual(await router.invoke('registry.add', { registry: 'https://r.example:5000/', insecure: true }), {
      ok: true,
      value: { host: 'r.example:5000', insecure: true, hasCa: false, username: null, added: true },
    });
  });
});
