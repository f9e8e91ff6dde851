import assert from 'node:assert/strict';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contextMaker } from '../../testkit/buildContext.js';
import { tempDir } from '../../testkit/tempDir.js';
import { StevedoreError } from '../errors.js';
import { resolveInRoot } from '../layers/confinedPath.js';
import { type CopyRequest, type ImageInfo, lstatOrUndefined, selectSources, stageSelection } from './copySources.js';
import { matcher } from './dockerfile/dockerignore.js';

const work = tempDir();
/** A build context: files by relative path (a trailing `/` makes a directory), then symlinks. */
const context = contextMaker(work);
let stagings = 0;

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
  const { matches } = selectSources(req);
  const staging = join(work, `staging${++stagings}`);
  mkdirSync(staging);
  const out: Record<string, string> = {};
  for (const path of stageSelection(req, matches, staging, () => undefined)) {
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
    // A symlink named as the source itself is followed (BuildKit's FollowSymlinks), named as the link.
    assert.deepEqual(copied(request(ctx, ['top-link'], '/y')), { y: 'data' });
    assert.deepEqual(copied(request(ctx, ['top-link'], '/d/')), { 'd/top-link': 'data' });
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
    // Go's filepath.Match has no `**`: it is `*`, one directory down.
    assert.deepEqual(copied(request(ctx, ['**/*.txt'], '/out/')), { 'out/c.txt': 'c' });
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

/** An image's root for staging to lay the copy over: directories (trailing `/`), files, links. */
function image(entries: Record<string, string>, links: Record<string, string> = {}): ImageInfo {
  const dir = context(entries, links);
  return (path, follow) => lstatOrUndefined(resolveInRoot(dir, path, follow));
}

/** What the COPY stages over `over`: path → `file content mode uid:gid`, `dir mode uid:gid` or `-> target`. */
function staged(req: CopyRequest, over: ImageInfo = () => undefined): Record<string, string> {
  const staging = join(work, `staging${++stagings}`);
  mkdirSync(staging);
  const out: Record<string, string> = {};
  for (const path of stageSelection(req, selectSources(req).matches, staging, over)) {
    const info = lstatSync(join(staging, path));
    const meta = `${(info.mode & 0o7777).toString(8)} ${info.uid}:${info.gid}`;
    if (info.isFile())
      out[path] = `${readFileSync(join(staging, path), 'utf8')} ${meta}${info.nlink > 1 ? ` nlink=${info.nlink}` : ''}`;
    else if (info.isDirectory()) out[path] = `dir ${meta}`;
    else out[path] = `-> ${readlinkSync(join(staging, path))}`;
  }
  return out;
}

describe('COPY destinations, as BuildKit lays them out (issue 16)', () => {
  it('copies a file into a destination the image has as a directory, and reads `.`, `./`, `x/.` as directories', () => {
    const ctx = context({ 'package.json': '{}', 'dir/inner': 'in' });
    const wd = image({ 'wd/': '' });
    assert.deepEqual(staged(request(ctx, ['package.json'], '/wd'), wd), { wd: 'dir 755 0:0', 'wd/package.json': '{} 644 0:0' });
    assert.deepEqual(staged(request(ctx, ['package.json'], '/wd/'), wd), { wd: 'dir 755 0:0', 'wd/package.json': '{} 644 0:0' });
    assert.deepEqual(staged(request(ctx, ['package.json'], '/new/.')), { new: 'dir 755 0:0', 'new/package.json': '{} 644 0:0' });
    assert.deepEqual(staged(request(ctx, ['package.json'], '/name')), { name: '{} 644 0:0' });
    // A directory's contents go into the existing one.
    assert.deepEqual(staged(request(ctx, ['dir'], '/wd'), wd), { wd: 'dir 755 0:0', 'wd/inner': 'in 644 0:0' });
    // A file where the image has a file replaces it; a file over a directory is refused.
    assert.deepEqual(staged(request(ctx, ['package.json'], '/f'), image({ f: 'old' })), { f: '{} 644 0:0' });
    assert.throws(() => staged(request(ctx, ['dir'], '/f'), image({ f: 'old' })), /not a directory/);
  });

  it('creates an empty directory copied from the context, as the destination or inside a copied directory', () => {
    const ctx = context({ 'empty/': '', 'tree/sub/': '', 'tree/file': 'f' });
    assert.deepEqual(staged(request(ctx, ['empty'], '/e')), { e: 'dir 755 0:0' });
    assert.deepEqual(staged(request(ctx, ['tree'], '/t/')), {
      t: 'dir 755 0:0',
      't/file': 'f 644 0:0',
      't/sub': 'dir 755 0:0',
    });
  });

  it('owns the directories COPY makes with --chown (parents and the destination), and leaves the image’s own alone', () => {
    const ctx = context({ 'src/a': 'a', 'one.txt': '1' });
    const chown = { ...request(ctx, ['src'], '/opt/app/lib'), owner: { uid: 1000, gid: 1001 } };
    assert.deepEqual(staged(chown, image({ 'opt/': '' })), {
      opt: 'dir 755 0:0',
      'opt/app': 'dir 755 1000:1001',
      'opt/app/lib': 'dir 755 1000:1001',
      'opt/app/lib/a': 'a 644 1000:1001',
    });
    const file = { ...request(ctx, ['one.txt'], '/deep/er/'), owner: { uid: 7, gid: 8 } };
    assert.deepEqual(staged(file), { deep: 'dir 755 7:8', 'deep/er': 'dir 755 7:8', 'deep/er/one.txt': '1 644 7:8' });
  });

  it('keeps a 0000 mode and hard links from the context', () => {
    const ctx = context({ 'd/locked': 'secret', 'd/a': 'same' });
    chmodSync(join(ctx, 'd/locked'), 0);
    linkSync(join(ctx, 'd/a'), join(ctx, 'd/b'));
    assert.deepEqual(staged(request(ctx, ['d'], '/d/')), {
      d: 'dir 755 0:0',
      'd/a': 'same 644 0:0 nlink=2',
      'd/b': 'same 644 0:0 nlink=2',
      'd/locked': 'secret 0 0:0',
    });
  });

  it('skips a wildcard that matches nothing while another source matches, and says so when none does', () => {
    const ctx = context({ 'a.txt': 'a' });
    assert.deepEqual(copied(request(ctx, ['*.none', 'a.txt'], '/out/')), { 'out/a.txt': 'a' });
    notFound(request(ctx, ['*.none'], '/out/'), '*.none');
  });

  it('writes through a link the image has on the way to the destination, never over it', () => {
    const ctx = context({ 'x.pid': '1' });
    const over = image({ 'run/': '', 'var/': '' }, { 'var/run': '/run' });
    // The builder resolves the destination in the image first (realDest); a link left in a
    // parent is refused rather than replaced by a directory.
    assert.throws(() => staged(request(ctx, ['x.pid'], '/var/run/x.pid'), over), /not a directory/);
  });
});

describe('COPY of a directory with .dockerignore exceptions', () => {
  it('makes an ignored directory that an exception brings a file back from', () => {
    const ctx = context({ 'logs/keep.log': 'kept', 'logs/drop.log': 'dropped', 'app.txt': 'app' });
    assert.deepEqual(copied(request(ctx, ['.'], '/ctx/', ['logs', '!logs/keep.log'])), {
      'ctx/app.txt': 'app',
      'ctx/logs/keep.log': 'kept',
    });
  });
});
