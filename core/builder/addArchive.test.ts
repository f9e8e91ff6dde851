import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { makeLayer } from '../../testkit/layers.js';
import { tempDir } from '../../testkit/tempDir.js';
import { archiveKind, extractArchive } from './addArchive.js';

const work = tempDir();

function zstdSync(data: Buffer): Buffer {
  const r = spawnSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, String(r.stderr));
  return r.stdout;
}

function fileAt(name: string, content: Buffer | string): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

const tarred = () =>
  makeLayer([
    { path: 'pkg/', type: 'directory' },
    { path: 'pkg/readme', content: 'from the tarball\n' },
  ]);

describe('ADD archives', () => {
  it('unpacks a zstd-compressed tar', async () => {
    const path = fileAt('files.tar.zst', zstdSync(await tarred()));
    const kind = await archiveKind(path);
    assert.equal(kind, 'zstd');
    const dest = join(work, 'zst-out');
    await extractArchive(path, kind!, dest);
    assert.equal(readFileSync(join(dest, 'pkg/readme'), 'utf8'), 'from the tarball\n');
  });

  it('unpacks a gzipped and a plain tar', async () => {
    assert.equal(await archiveKind(fileAt('files.tar.gz', gzipSync(await tarred()))), 'gzip');
    assert.equal(await archiveKind(fileAt('files.tar', await tarred())), 'none');
  });

  it('takes a gzipped or zstd file that is no tar, or a plain file, for a file to copy', async () => {
    const text = 'just some notes\n'.repeat(100);
    assert.equal(await archiveKind(fileAt('notes.txt.gz', gzipSync(text))), undefined);
    assert.equal(await archiveKind(fileAt('notes.txt.zst', zstdSync(Buffer.from(text)))), undefined);
    assert.equal(await archiveKind(fileAt('notes.txt', text)), undefined);
    assert.equal(await archiveKind(fileAt('empty', '')), undefined);
    assert.equal(await archiveKind(fileAt('broken.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]))), undefined);
  });

  it('stops a gzip bomb at the size cap, in one line', async () => {
    const path = fileAt('bomb.tar.gz', gzipSync(await makeLayer([{ path: 'zeros', content: Buffer.alloc(64 << 20) }])));
    const kind = await archiveKind(path);
    assert.equal(kind, 'gzip');
    const dest = join(work, 'bomb-out');
    await assert.rejects(extractArchive(path, kind!, dest, { maxBytes: 8 << 20 }), (err: Error) => {
      assert.match(err.message, /^archive .*bomb\.tar\.gz expands past the unpack limit of 8388608 bytes/);
      // `stevedore build` has no --max-size: the refusal names the limit and points at no flag.
      assert.doesNotMatch(err.message, /max-size/);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  });

  it('says a truncated archive is damaged, in one line', async () => {
    const whole = gzipSync(await makeLayer([{ path: 'big', content: Buffer.alloc(1 << 20, 'x') }]));
    const path = fileAt('cut.tar.gz', whole.subarray(0, whole.length - 40));
    await assert.rejects(extractArchive(path, (await archiveKind(path))!, join(work, 'cut-out')), (err: Error) => {
      assert.match(err.message, /^archive .*cut\.tar\.gz is damaged or truncated \(/);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  });

  it('keeps entries inside the destination, as the layer applier does', async () => {
    const dest = join(work, 'jail', 'dest');
    const climbing = fileAt('climbing.tar', await makeLayer([{ path: '../../outside', content: 'no' }]));
    await assert.rejects(extractArchive(climbing, 'none', dest), /it climbs out of the root filesystem/);
    const linked = fileAt(
      'linked.tar',
      await makeLayer([
        { path: 'up', type: 'symlink', linkname: '../..' },
        { path: 'up/through-link', content: 'in' },
      ]),
    );
    await extractArchive(linked, (await archiveKind(linked))!, dest);
    assert.ok(!existsSync(join(work, 'outside')) && !existsSync(join(work, 'through-link')));
    assert.deepEqual(readdirSync(join(work, 'jail')), ['dest']);
    assert.equal(readFileSync(join(dest, 'through-link'), 'utf8'), 'in');
  });
});

describe('ADD archives compressed with bzip2 and xz (issue 16)', () => {
  for (const tool of ['bzip2', 'xz'] as const) {
    it(`unpacks a ${tool}-compressed tar, and copies a ${tool}-compressed file that is no tar as it is`, async () => {
      const compress = (data: Buffer | string) => {
        const r = spawnSync(tool, ['-c'], { input: data, maxBuffer: 1 << 30 });
        assert.equal(r.status, 0, String(r.stderr));
        return r.stdout;
      };
      const path = fileAt(`files.tar.${tool}`, compress(await tarred()));
      const kind = await archiveKind(path);
      assert.equal(kind, tool);
      const dest = join(work, `${tool}-out`);
      await extractArchive(path, kind!, dest);
      assert.equal(readFileSync(join(dest, 'pkg/readme'), 'utf8'), 'from the tarball\n');
      assert.equal(await archiveKind(fileAt(`notes.${tool}`, compress('plain notes\n'.repeat(100)))), undefined);
    });
  }
});
