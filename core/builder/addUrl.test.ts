import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeTar } from '../../testkit/archives.js';
import { stevedore, stevedoreAsync } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { tempDir } from '../../testkit/tempDir.js';

const work = tempDir();
const root = join(work, 'store');
const data = Buffer.from('fetched over http\n');
const dataDigest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
// Last-Modified has whole seconds.
const lastModified = new Date('2021-06-01T12:34:56Z');
let tarBytes: Buffer;
let server: Server;
let base: string;
let made = 0;

function context(dockerfile: string): string {
  const dir = join(work, `ctx${++made}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

function images(): string {
  return stevedore(root, ['images', '-q', '--no-trunc']).stdout;
}

describe('ADD of an http(s) URL (issue 16)', () => {
  before(async () => {
    await loadBoxImage(root, work);
    const tarPath = join(work, 'app.tar');
    await writeTar(tarPath, [{ name: 'inside.txt', content: 'in the tar\n' }]);
    tarBytes = readFileSync(tarPath);
    server = createServer((req, res) => {
      if (req.url === '/files/data.txt') {
        res.writeHead(200, { 'last-modified': lastModified.toUTCString(), 'content-type': 'text/plain' });
        res.end(data);
      } else if (req.url === '/files/app.tar') {
        res.writeHead(200, { 'content-type': 'application/x-tar' });
        res.end(tarBytes);
      } else if (req.url === '/moved') {
        res.writeHead(302, { location: '/files/data.txt' });
        res.end();
      } else {
        res.writeHead(404);
        res.end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches the file, named after the URL’s last path part, mode 0600, mtime from Last-Modified; an archive stays packed', async () => {
    const dir = context(
      `FROM box:v1\nADD ${base}/files/data.txt /d/\nADD ${base}/files/app.tar /d/\nADD ${base}/moved /d/renamed.txt\n`,
    );
    const dest = join(work, 'out1');
    const r = await stevedoreAsync(root, ['build', '-q', '-o', dest, dir]);
    assert.equal(r.code, 0, r.stderr);
    const file = join(dest, 'd', 'data.txt');
    assert.deepEqual(readFileSync(file), data);
    assert.equal((statSync(file).mode & 0o7777).toString(8), '600');
    assert.equal(statSync(file).mtimeMs, lastModified.getTime());
    assert.deepEqual(readFileSync(join(dest, 'd', 'app.tar')), tarBytes, 'a URL source is not unpacked');
    assert.deepEqual(readFileSync(join(dest, 'd', 'renamed.txt')), data, 'a redirect is followed');
  });

  it('--checksum that matches passes; one that does not fails in one line naming both digests, storing nothing', async () => {
    const good = context(`FROM box:v1\nADD --checksum=${dataDigest} ${base}/files/data.txt /data.txt\n`);
    const dest = join(work, 'out2');
    const r = await stevedoreAsync(root, ['build', '-q', '-o', dest, good]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(join(dest, 'data.txt')), data);

    const wrong = `sha256:${'0'.repeat(64)}`;
    const bad = context(`FROM box:v1\nADD --checksum=${wrong} ${base}/files/data.txt /data.txt\n`);
    const before = images();
    const failed = await stevedoreAsync(root, ['build', '-q', '-t', 'never:1', bad]);
    assert.notEqual(failed.code, 0);
    const lines = failed.stderr.trim().split('\n');
    assert.equal(lines.length, 1, failed.stderr);
    assert.ok(lines[0]!.includes(wrong) && lines[0]!.includes(dataDigest), failed.stderr);
    assert.equal(images(), before);
  });

  it('a URL the server does not have fails in one line with its status', async () => {
    const dir = context(`FROM box:v1\nADD ${base}/nothing /x\n`);
    const failed = await stevedoreAsync(root, ['build', '-q', dir]);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /404/);
    assert.equal(failed.stderr.trim().split('\n').length, 1, failed.stderr);
  });
});
