import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { selfSigned, serverCertificate } from '../../testkit/registry/certs.js';
import { tempDir } from '../../testkit/tempDir.js';
import { fetchUrl } from './urlFetch.js';

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

// ADD <url> and anything else fetched by URL: a server reached over TLS cannot send the fetch on
// over plain http, where anyone on the way could change the file.
describe('fetching a URL', () => {
  const work = tempDir();
  const certDirs = [join(work, 'certs.d')];
  const plainRequests: string[] = [];
  let plain: Server;
  let secure: Server;
  let plainBase = '';
  let secureBase = '';

  before(async () => {
    plain = createHttpServer((req, res) => {
      plainRequests.push(req.url ?? '');
      res.end('over plain http\n');
    });
    plainBase = `http://127.0.0.1:${await listen(plain)}`;
    const ca = selfSigned(work, 'ca', 'stevedore test CA');
    const cert = serverCertificate(work, ca);
    secure = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
      if (req.url === '/down') res.writeHead(302, { location: `${plainBase}/file` }).end();
      else if (req.url === '/across') res.writeHead(301, { location: '/file' }).end();
      else res.end('over tls\n');
    });
    const port = await listen(secure);
    secureBase = `https://127.0.0.1:${port}`;
    mkdirSync(join(certDirs[0]!, `127.0.0.1:${port}`), { recursive: true });
    copyFileSync(ca.cert, join(certDirs[0]!, `127.0.0.1:${port}`, 'ca.crt'));
  });
  after(() => {
    plain.close();
    secure.close();
  });

  const text = async (url: string) => {
    const fetched = await fetchUrl(url, { certDirs });
    let body = '';
    for await (const chunk of fetched.body) body += chunk;
    return body;
  };

  it('follows a redirect that stays on https', async () => {
    assert.equal(await text(`${secureBase}/across`), 'over tls\n');
  });

  it('refuses in one line a redirect from https to http, and asks the http server for nothing', async () => {
    await assert.rejects(text(`${secureBase}/down`), {
      code: 'DENIED',
      message: `${secureBase}/down: the server redirected it from https to ${plainBase}/file; a file asked for over https is not fetched over plain http`,
    });
    assert.deepEqual(plainRequests, []);
  });
});
