import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedoreAsync } from '../../testkit/cli.js';
import { selfSigned, serverCertificate } from '../../testkit/registry/certs.js';
import { writeCredentialHelper } from '../../testkit/registry/credentialHelper.js';
import { FaultProxy } from '../../testkit/registry/faultProxy.js';
import { layoutWithImages, randomLayers } from '../../testkit/registry/fixtures.js';
import { type RunningRegistry, startRegistry } from '../../testkit/registry/registry.js';
import { TokenServer } from '../../testkit/registry/tokenServer.js';
import { tempDir } from '../../testkit/tempDir.js';
import { Engine } from '../engine.js';

const work = tempDir('stevedore-auth-');
const dockerConfig = join(work, 'docker-config');
process.env.DOCKER_CONFIG = dockerConfig;
const layout = join(work, 'layout');

/** The CLI runs asynchronously: the token server and proxy live in this process and must keep answering. */
function run(root: string, args: string[], input?: string) {
  return stevedoreAsync(root, args, input);
}

async function ok(root: string, args: string[], input?: string): Promise<string> {
  const r = await run(root, args, input);
  assert.equal(r.code, 0, `stevedore ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Fails with exactly one line on stderr, `error: <sentence>`. */
async function fails(root: string, args: string[], sentence: string | RegExp, input?: string): Promise<void> {
  const r = await run(root, args, input);
  assert.notEqual(r.code, 0, `stevedore ${args.join(' ')} should fail`);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  if (typeof sentence === 'string') assert.equal(r.stderr.trim(), `error: ${sentence}`);
  else assert.match(r.stderr.trim(), sentence);
}

function dockerConfigJson(): { auths?: Record<string, { auth?: string }>; credsStore?: string } {
  return JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8'));
}

before(async () => {
  await layoutWithImages(layout, [
    { refName: 'v1', layers: await randomLayers([200_000, 100_000]) },
    { refName: 'v2', layers: await randomLayers([150_000]) },
  ]);
});

describe('htpasswd (Basic) auth, logins in Docker config.json', async () => {
  let registry: RunningRegistry;
  const root = join(work, 'basic');

  before(async () => {
    registry = await startRegistry({ htpasswd: { bob: 'secret' } });
    await ok(root, ['load', '-i', layout, '--name', 'localhost/app']);
  });
  after(async () => {
    await registry?.stop();
  });

  it('without a login: "login required for HOST"', async () => {
    await fails(root, ['pull', `${registry.host}/app:v1`], `login required for ${registry.host}`);
    await fails(root, ['push', 'localhost/app:v1', `${registry.host}/app:v1`], `login required for ${registry.host}`);
  });

  it('refuses a wrong password in one sentence, and saves nothing', async () => {
    await fails(
      root,
      ['login', registry.host, '-u', 'bob', '--password-stdin'],
      `${registry.host} refused the credentials of bob`,
      'wrong\n',
    );
    assert.equal(existsSync(join(dockerConfig, 'config.json')), false);
  });

  it('login saves base64 user:password in config.json (0600); push and pull use it; logout removes it', async () => {
    const out = await ok(root, ['login', registry.host, '-u', 'bob', '--password-stdin'], 'secret\n');
    assert.match(out, /^Login Succeeded/);
    assert.equal(dockerConfigJson().auths?.[registry.host]?.auth, Buffer.from('bob:secret').toString('base64'));
    assert.equal(statSync(join(dockerConfig, 'config.json')).mode & 0o777, 0o600);
    await ok(root, ['push', 'localhost/app:v1', `${registry.host}/app:v1`]);
    const other = join(work, 'basic-pull');
    assert.match(await ok(other, ['pull', `${registry.host}/app:v1`]), new RegExp(`${registry.host}/app:v1`));
    assert.deepEqual((await ok(other, ['tags', `${registry.host}/app`])).trim(), 'v1');
    assert.match(await ok(other, ['registry', 'ls']), new RegExp(`${registry.host}\\s+no\\s+no\\s+bob`));
    assert.match(await ok(root, ['logout', registry.host]), /Removing login credentials/);
    assert.equal(dockerConfigJson().auths?.[registry.host], undefined);
    await fails(other, ['pull', `${registry.host}/app:v1`], `login required for ${registry.host}`);
  });

  it('with a credential helper (credsStore), the secret goes to the helper, not config.json', async () => {
    const bin = join(work, 'bin');
    const secrets = join(work, 'helper-store.json');
    writeCredentialHelper(bin, 'stevedoretest', secrets);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ credsStore: 'stevedoretest', currentContext: 'kept' }));
      const out = await ok(root, ['login', registry.host, '-u', 'bob', '--password-stdin'], 'secret\n');
      assert.match(out, /saved in docker-credential-stevedoretest/);
      assert.deepEqual(JSON.parse(readFileSync(secrets, 'utf8'))[registry.host], { Username: 'bob', Secret: 'secret' });
      const config = dockerConfigJson() as Record<string, unknown> & { auths?: Record<string, unknown> };
      assert.deepEqual(config.auths?.[registry.host], {}, 'config.json only marks the host');
      assert.equal(config.currentContext, 'kept', 'other settings are kept');
      await ok(join(work, 'helper-pull'), ['pull', `${registry.host}/app:v1`]);
      await ok(root, ['logout', registry.host]);
      assert.deepEqual(JSON.parse(readFileSync(secrets, 'utf8')), {});
    } finally {
      process.env.PATH = path;
      writeFileSync(join(dockerConfig, 'config.json'), '{}');
    }
  });
});

describe('token auth (distribution auth.token, a test issuer signing ES256 JWTs)', async () => {
  let registry: RunningRegistry;
  let tokens: TokenServer;
  let proxy: FaultProxy;
  const service = 'stevedore-test-registry';

  before(async () => {
    const signing = selfSigned(work, 'signing', 'stevedore test token issuer', false);
    tokens = new TokenServer(signing, { alice: 'wonderland' });
    await tokens.start();
    registry = await startRegistry({ token: { server: tokens, signing, service } });
    proxy = new FaultProxy(registry.port);
    await proxy.start();
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
    await tokens?.stop();
  });

  it('logs in, pushes with one token for all blobs, and mounts with merged scopes', async () => {
    const root = join(work, 'token-push');
    await ok(root, ['load', '-i', layout, '--name', 'localhost/app']);
    await fails(
      root,
      ['login', proxy.host, '-u', 'alice', '--password-stdin'],
      `${proxy.host} refused the credentials of alice`,
      'nope\n',
    );
    await ok(root, ['login', proxy.host, '-u', 'alice', '--password-stdin'], 'wonderland\n');
    tokens.requests.length = 0;
    const engine = new Engine(root);
    await engine.pushImage({ ref: 'localhost/app:v1', target: `${proxy.host}/team/app:v1` });
    assert.equal(tokens.requests.length, 1, JSON.stringify(tokens.requests));
    assert.deepEqual(tokens.requests[0], { user: 'alice', service, scopes: ['repository:team/app:pull,push'] });

    tokens.requests.length = 0;
    const pushed = await engine.pushImage({ ref: 'localhost/app:v1', target: `${proxy.host}/team/copy:v1` });
    assert.deepEqual(
      pushed.blobs.map((b) => b.outcome),
      ['mounted', 'mounted', 'mounted'],
    );
    assert.deepEqual(tokens.requests[0]?.scopes, ['repository:team/app:pull', 'repository:team/copy:pull,push']);
  });

  it('pulls anonymously where the issuer allows it, and asks for a login where not', async () => {
    const root = join(work, 'token-public');
    const engine = new Engine(root);
    const pusher = new Engine(join(work, 'token-push'));
    await pusher.pushImage({ ref: 'localhost/app:v2', target: `${proxy.host}/public/app:v2` });
    await ok(root, ['logout', proxy.host]);
    tokens.requests.length = 0;
    await engine.pullImage({ ref: `${proxy.host}/public/app:v2` });
    assert.equal(tokens.requests[0]?.user, undefined, 'an anonymous token');
    await assert.rejects(engine.pullImage({ ref: `${proxy.host}/team/app:v1` }), {
      code: 'UNAUTHORIZED',
      message: `login required for ${proxy.host}`,
    });
  });

  it('asks for a new token when the registry answers 401 to a token it had accepted', async () => {
    const root = join(work, 'token-reauth');
    await ok(root, ['login', proxy.host, '-u', 'alice', '--password-stdin'], 'wonderland\n');
    const engine = new Engine(root);
    await (await engine.registries()).tags(`${proxy.host}/team/app`);
    tokens.requests.length = 0;
    proxy.reset();
    proxy.addRule({
      method: 'GET',
      path: /\/tags\/list/,
      fault: {
        status: 401,
        headers: { 'www-authenticate': `Bearer realm="${tokens.realm}",service="${service}",scope="repository:team/app:pull"` },
        body: '{"errors":[{"code":"UNAUTHORIZED","message":"token expired"}]}',
      },
    });
    const tags = await (await engine.registries()).tags(`${proxy.host}/team/app`);
    assert.deepEqual(tags.tags, ['v1']);
    assert.equal(tokens.requests.length, 1, 'one new token');
    assert.deepEqual(
      proxy.log.map((r) => r.status),
      [401, 200],
    );
  });
});

describe('TLS with a certificate the test made', async () => {
  let registry: RunningRegistry;
  let caFile = '';

  before(async () => {
    const ca = selfSigned(work, 'ca', 'Stevedore Test CA');
    caFile = ca.cert;
    registry = await startRegistry({ tls: serverCertificate(work, ca) });
    await ok(join(work, 'tls'), ['load', '-i', layout, '--name', 'localhost/app']);
  });
  after(async () => {
    await registry?.stop();
  });

  it('refuses an untrusted certificate in one sentence that says what to do', async () => {
    await fails(
      join(work, 'tls'),
      ['push', 'localhost/app:v1', `${registry.host}/app:v1`],
      new RegExp(
        `^error: the TLS certificate of ${registry.host.replace(/\./g, '\\.')} is not trusted \\(.*\\); add its CA as certs\\.d/`,
      ),
    );
  });

  it('trusts the registry once its CA is added (certs.d/<host>/ca.crt under the store root)', async () => {
    const root = join(work, 'tls');
    await ok(root, ['registry', 'add', registry.host, '--ca', caFile]);
    assert.ok(existsSync(join(root, 'certs.d', registry.host, 'ca.crt')));
    await ok(root, ['push', 'localhost/app:v1', `${registry.host}/app:v1`]);
    const other = join(work, 'tls-pull');
    await ok(other, ['pull', '--insecure', `${registry.host}/app:v1`]);
    await fails(other, ['tags', `${registry.host}/app`], /is not trusted/);
  });
});
