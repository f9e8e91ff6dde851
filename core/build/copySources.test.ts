import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { StevedoreError } from '../errors.js';
import { type CopyRequest, selectSources, stageSelection } from './copySources.js';
import { matcher } from './dockerfile/dockerignore.js';

const work = tempDir();
let contexts = 0;

/** A build context: files by relative path, then symlinks (path → target, as written). */
function context(files: Record<string, string>, links: Record<string, string> = {}): string {
  const dir = join(work, `ctx${++contexts}`);
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    symlinkSync(target, join(dir, path));
  }
  return dir;
}

function request(sourceRoot: string, sources: string[], dest: string, ignore: string[] = []): CopyRequest {
  return {
    sourceRoot,
    fromRootfs: false,
    ignore: matcher(ignore),
    sources,
    inline: [],
    dest,
  };
}

/** What the COPY puts in the image: image path → file content (or `-> target` for a link). */
function copied(req: CopyRequest): Record<string, string> {
  const { selected, intoDir } = selectSources(req);
  const staging = join(work, `staging${++contexts}`);
  mkdirSync(staging);
  const out: Record<string, string> = {};
  for (const path of stageSelection(req, selected, staging, () => undefined, intoDir)) {
    const info = lstatSync(join(staging, path));
    if (info.isFile()) out[path] = readFileSync(join(staging, path), 'utf8');
    else if (info.isSymbolicLink()) out[path] = `-> ${readlinkSync(join(staging, path))}`;
  }
  return out;
}

function notFound(req: CopyRequest, source: string): void {
  assert.throws(
    () => selectSources(req),
    (err: unknown) => {
      assert.ok(err instanceof StevedoreError, String(err));
      assert.equal(err.code, 'NOT_FOUND');
      assert.ok(err.message.includes(`"/${source}": not found`), err.message);
      assert.ok(!err.message.includes('\n'), 'one line');
      return true;
    },
  );
}

describe('COPY sources from the build context', () => {
  it('resolves a symlinked directory inside the context, never on the host (link -> /etc)', () => {
    assert.ok(existsSync('/etc/hostname'), 'the host has an /etc/hostname for this test');
    const withOwn = context({ 'etc/hostname': 'context-hostname\n' }, { link: '/etc' });
    assert.deepEqual(copied(request(withOwn, ['link/hostname'], '/x')), { x: 'context-hostname\n' });

    // No etc/hostname in the context: not found, rather than the host's file.
    const without = context({ 'app.txt': 'app' }, { link: '/etc' });
    notFound(request(without, ['link/hostname'], '/x'), 'link/hostname');
    // Relative links cannot climb out either: `..` stops at the context root.
    const climbing = context({ 'app.txt': 'app' }, { 'sub/up': '../../../../../../..' });
    notFound(request(climbing, ['sub/up/etc/hostname'], '/x'), 'sub/up/etc/hostname');
    const climbingOwn = context({ 'etc/hostname': 'mine\n' }, { 'sub/up': '../../../../../../..' });
    assert.deepEqual(copied(request(climbingOwn, ['sub/up/etc/hostname'], '/x')), { x: 'mine\n' });
  });

  it('follows a symlink to an absolute path as the context root sees it', () => {
    const ctx = context(
      { 'ctx-data-only/file.txt': 'data', 'ctx-data-only/deep/more.txt': 'more' },
      { abs: '/ctx-data-only', 'top-link': 'ctx-data-only/file.txt' },
    );
    assert.ok(!existsSync('/ctx-data-only'), 'the host has no /ctx-data-only');
    assert.deepEqual(copied(request(ctx, ['abs/file.txt'], '/x')), { x: 'data' });
    // A directory reached through the link copies its contents.
    assert.deepEqual(copied(request(ctx, ['abs/deep'], '/d/')), { 'd/more.txt': 'more' });
    // A symlink named as the source itself is still copied as the link it is.
    assert.deepEqual(copied(request(ctx, ['top-link'], '/y')), { y: '-> ctx-data-only/file.txt' });
  });

  it('applies .dockerignore to where a symlink leads', () => {
    const ctx = context({ 'secret/key': 'hidden', 'public/key': 'shown' }, { link: 'secret', other: 'public' });
    notFound(request(ctx, ['link/key'], '/x', ['secret']), 'link/key');
    notFound(request(ctx, ['link/*'], '/x/', ['secret']), 'link/*');
    assert.deepEqual(copied(request(ctx, ['other/key'], '/x', ['secret'])), { x: 'shown' });
    // An exception still brings a file back from an ignored directory to a pattern.
    const docs = context({ 'docs/keep.md': 'keep', 'docs/drop.md': 'drop' });
    assert.deepEqual(copied(request(docs, ['docs/*.md'], '/x/', ['docs', '!docs/keep.md'])), { 'x/keep.md': 'keep' });
  });

  it('matches glob patterns, through symlinked directories kept inside the context', () => {
    const ctx = context(
      { 'etc/hostname': 'ctx-name', 'etc/hosts': 'ctx-hosts', 'etc/passwd': 'p', 'a.txt': 'a', 'b.txt': 'b', 'sub/c.txt': 'c' },
      { link: '/etc' },
    );
    assert.deepEqual(copied(request(ctx, ['*.txt'], '/out/')), { 'out/a.txt': 'a', 'out/b.txt': 'b' });
    assert.deepEqual(copied(request(ctx, ['**/*.txt'], '/out/')), {
      'out/a.txt': 'a',
      'out/b.txt': 'b',
      'out/c.txt': 'c',
    });
    assert.deepEqual(copied(request(ctx, ['link/host*'], '/out/')), {
      'out/hostname': 'ctx-name',
      'out/hosts': 'ctx-hosts',
    });
    notFound(request(context({ 'a.txt': 'a' }, { link: '/etc' }), ['link/host*'], '/out/'), 'link/host*');
  });
});

describe('COPY sources outside the build context', () => {
  it('says a `..` source is outside the context, naming it as written (not `"/./x": not found`)', () => {
    const parent = context({ 'x/inner': 'outside', 'ctx/app.txt': 'app' });
    const ctx = join(parent, 'ctx');
    for (const source of ['../x', './../x', 'sub/../../x', '..', '../x*', '../ctx/app.txt']) {
      assert.throws(
        () => selectSources(request(ctx, [source], '/out/')),
        (err: unknown) => {
          assert.ok(err instanceof StevedoreError, String(err));
          assert.equal(err.code, 'INVALID_ARGUMENT');
          assert.equal(err.message, `COPY ${source}: the source is outside the build context`);
          return true;
        },
        source,
      );
    }
  });

  it('reads `..` at the root of a stage as the root itself, and an absolute path at the context root', () => {
    const ctx = context({ 'app.txt': 'app' });
    assert.deepEqual(copied(request(ctx, ['/../app.txt'], '/x')), { x: 'app' });
    assert.deepEqual(copied({ ...request(ctx, ['../app.txt'], '/x'), fromRootfs: true }), { x: 'app' });
  });
});
