import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedoreAsync } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { selfSigned, serverCertificate } from '../../testkit/registry/certs.js';
import { type RunningRegistry, startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';
import { inNoProxyDomain } from './tls.js';

// A registry the CLI can only reach by a name no resolver here knows (registry.example), through
// a proxy the test runs: CONNECT tunnels for https, whole-URL requests for http, each sent to the
// port asked on this machine. What the proxy saw says which way the CLI went.
const NAME = 'registry.example';
const work = tempDir('stevedore-proxy-');

interface TestProxy {
  url: string;
  seen: string[];
  close(): Promise<void>;
}

async function startProxy(): Promise<TestProxy> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '/');
    const upstream = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client, head) => {
    seen.push(`CONNECT ${req.url}`);
    const port = Number((req.url ?? '').split(':').pop());
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const drop = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', drop);
    client.on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The CLI with these proxy variables, and none of the environment's own. */
function withProxy(vars: Record<string, string>, root: string, args: string[]) {
  const saved = { ...process.env };
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY']) {
    delete process.env[name];
    delete process.env[name.toLowerCase()];
  }
  Object.assign(process.env, vars);
  try {
    return stevedoreAsync(root, args);
  } finally {
    process.env = saved;
  }
}

describe('NO_PROXY, as Go reads it', () => {
  it('leaves out a domain’s subdomains (on the entry’s port only if it names one) and the addresses of a CIDR', () => {
    assert.equal(inNoProxyDomain('registry.example.com', 443, 'localhost,example.com'), true);
    assert.equal(inNoProxyDomain('a.b.example.com:5000', 443, 'example.com'), true);
    assert.equal(inNoProxyDomain('registry.example.com:5000', 443, 'example.com:443'), false);
    assert.equal(inNoProxyDomain('registry.example.com', 443, 'example.com:443'), true);
    assert.equal(inNoProxyDomain('notexample.com', 443, 'example.com'), false);
    // CIDRs, which proxy-from-env does not read: a host named by an address in one.
    assert.equal(inNoProxyDomain('10.20.30.40:5000', 443, 'example.com, 10.0.0.0/8'), true);
    assert.equal(inNoProxyDomain('10.20.30.40', 443, '10.20.31.0/24'), false);
    assert.equal(inNoProxyDomain('[fd00::5]:5000', 443, 'fd00::/8'), true);
    assert.equal(inNoProxyDomain('fd00::5', 443, 'fd00::/8'), true);
    assert.equal(inNoProxyDomain('[fe80::5]:443', 443, 'fd00::/8,10.0.0.0/8'), false);
    assert.equal(inNoProxyDomain('registry.example.com', 443, '10.0.0.0/8'), false, 'a name is not resolved for a CIDR');
    assert.equal(inNoProxyDomain('10.1.1.1', 443, '10.0.0.0/99,nonsense/8'), false);
  });
});

describe('registries through the proxy the environment names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)', () => {
  let proxy: TestProxy;
  let secure: RunningRegistry;
  let plain: RunningRegistry;
  const root = join(work, 'store');
  let caFile = '';

  before(async () => {
    const ca = selfSigned(work, 'ca', 'Stevedore Proxy Test CA');
    caFile = ca.cert;
    [proxy, secure, plain] = await Promise.all([
      startProxy(),
      startRegistry({ tls: serverCertificate(work, ca, 'server', [NAME]) }),
      startRegistry(),
    ]);
    await loadBoxImage(root, work);
  });
  after(async () => {
    await Promise.all([proxy?.close(), secure?.stop(), plain?.stop()]);
  });

  it('pushes and pulls over https through a CONNECT tunnel, with the registry’s own CA', async () => {
    const host = `${NAME}:${secure.port}`;
    const trusted = await stevedoreAsync(root, ['registry', 'add', host, '--ca', caFile]);
    assert.equal(trusted.code, 0, trusted.stderr);
    const pushed = await withProxy({ HTTPS_PROXY: proxy.url }, root, ['push', 'box:v1', `${host}/box:v1`]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.ok(proxy.seen.includes(`CONNECT ${host}`), proxy.seen.join('\n'));
    const pulled = await withProxy({ https_proxy: proxy.url }, root, ['pull', `${host}/box:v1`]);
    assert.equal(pulled.code, 0, pulled.stderr);
  });

  it('sends plain http (an insecure registry) as requests for the whole URL', async () => {
    const host = `${NAME}:${plain.port}`;
    const env = { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url };
    const pushed = await withProxy(env, root, ['push', '--insecure', 'box:v1', `${host}/plain:v1`]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.ok(proxy.seen.includes(`GET http://${host}/v2/`), proxy.seen.join('\n'));
  });

  it('goes straight to NO_PROXY hosts and to loopback ones, and names a proxy it cannot reach without its password', async () => {
    const before = proxy.seen.length;
    const bypassed = await withProxy({ HTTPS_PROXY: proxy.url, NO_PROXY: `localhost,.example` }, root, [
      'push',
      'box:v1',
      `${NAME}:${secure.port}/box:v2`,
    ]);
    assert.equal(bypassed.code, 1);
    assert.match(bypassed.stderr, new RegExp(`cannot resolve ${NAME.replace('.', '\\.')}`));
    assert.equal(proxy.seen.length, before, 'the proxy saw nothing');
    // As docker's daemon reads NO_PROXY: a domain without its leading dot leaves out its subdomains.
    const domain = await withProxy({ HTTPS_PROXY: proxy.url, no_proxy: 'example' }, root, [
      'push',
      'box:v1',
      `${NAME}:${secure.port}/box:v2`,
    ]);
    assert.match(domain.stderr, new RegExp(`cannot resolve ${NAME.replace('.', '\\.')}`));
    assert.equal(proxy.seen.length, before, 'the proxy saw nothing');

    const dead = 'http://user:s3cret@127.0.0.1:9';
    const local = await withProxy({ HTTPS_PROXY: dead, HTTP_PROXY: dead }, root, ['push', 'box:v1', `${plain.host}/local:v1`]);
    assert.equal(local.code, 0, local.stderr);

    const refused = await withProxy({ HTTPS_PROXY: dead }, root, ['push', 'box:v1', `${NAME}:${secure.port}/box:v3`]);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      `error: cannot reach the proxy http://127.0.0.1:9 (for ${NAME}:${secure.port}): connection refused\n`,
    );

    const garbled = await withProxy({ HTTPS_PROXY: 'http://user:s3cret@[bad' }, root, [
      'push',
      'box:v1',
      `${NAME}:${secure.port}/box:v4`,
    ]);
    assert.equal(garbled.stderr, 'error: the proxy the environment names for https (HTTPS_PROXY or ALL_PROXY) is not a URL\n');
  });
});
