/**
 * Issue 16: builds come out as `docker build` (BuildKit) makes them, file for file. Each case
 * builds a Dockerfile with the real CLI, unpacks the image and checks its files, modes, owners
 * and links. BuildKit's facts are cited where they are not the Dockerfile reference's words:
 * github.com/moby/buildkit frontend/dockerfile/dockerfile2llb/convert_copy.go (every source a copy
 * with FollowSymlinks, CopyDirContentsOnly, CreateDestPath, AllowWildcard, AllowEmptyWildcard) and
 * github.com/tonistiigi/fsutil copy/copy.go (prepareTargetDir, MkdirAll with the chown user).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { contextMaker } from '../testkit/buildContext.js';
import { stevedore } from '../testkit/cli.js';
import { loadBoxImage } from '../testkit/containerImages.js';
import { makeLayer } from '../testkit/layers.js';
import { tempDir } from '../testkit/tempDir.js';
import { snapshotTree, type TreeEntry } from '../testkit/treeSnapshot.js';

const work = tempDir();
const root = join(work, 'store');
/** A build context: files by relative path (a trailing `/` makes a directory), then symlinks. */
const context = contextMaker(work);

function build(dir: string, args: string[] = []): { code: number; stdout: string; stderr: string } {
  return stevedore(root, ['build', '--progress', 'plain', ...args, dir]);
}

/** Builds the context as `tag`, checks the context is as it was, and returns the image's tree. */
function built(dir: string, tag: string, args: string[] = []): Record<string, TreeEntry> {
  const before = snapshotTree(dir);
  const r = build(dir, ['-t', tag, ...args]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(snapshotTree(dir), before, 'the build context is as it was');
  const out = join(work, `unpacked-${tag.replace(/[:/]/g, '-')}`);
  const unpacked = stevedore(root, ['unpack', tag, out]);
  assert.equal(unpacked.code, 0, unpacked.stderr);
  return snapshotTree(out);
}

const sha = (text: string) => {
  const r = spawnSync('sha256sum', { input: text, encoding: 'utf8' });
  return r.stdout.split(' ')[0];
};

/** An entry's type, mode and owner, and for a file its content's digest, for a link its target. */
function kind(tree: Record<string, TreeEntry>, path: string): string | undefined {
  const e = tree[path];
  if (!e) return undefined;
  const what = e.type === 'symlink' ? `-> ${e.target}` : e.type === 'file' ? `file ${e.sha256?.slice(0, 12)}` : e.type;
  return `${what} ${e.mode} ${e.uid}:${e.gid}`;
}

const file = (content: string, mode = '644', owner = '0:0') => `file ${sha(content)?.slice(0, 12)} ${mode} ${owner}`;
const dir = (mode = '755', owner = '0:0') => `dir ${mode} ${owner}`;

function config(tag: string): { config: Record<string, unknown>; history: { created_by?: string }[] } {
  const r = stevedore(root, ['inspect', '--type', 'image', '--json', tag]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { imageConfig: { config: Record<string, unknown>; history: { created_by?: string }[] } })
    .imageConfig;
}

/** The image unpacked by the CLI, as a tree. */
function unpacked(tag: string): Record<string, TreeEntry> {
  const out = join(work, `unpacked-${tag.replace(/[:/]/g, '-')}`);
  const r = stevedore(root, ['unpack', tag, out]);
  assert.equal(r.code, 0, r.stderr);
  return snapshotTree(out);
}

function emptyDir(name: string): string {
  const path = join(work, name);
  mkdirSync(path);
  return path;
}

/** A tree of the work directory without the store and the images unpacked from it. */
function withoutStore(tree: Record<string, TreeEntry>): Record<string, TreeEntry> {
  return Object.fromEntries(Object.entries(tree).filter(([p]) => !/^(store|unpacked-[^/]*)(\/|$)/.test(p)));
}

/** Runs `fn` with TMPDIR (where the CLI puts a context read from stdin) set to `dir`. */
function inTmpdir<T>(dir: string, fn: () => T): T {
  const was = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return fn();
  } finally {
    if (was === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = was;
  }
}

describe('builds that come out as BuildKit makes them', () => {
  before(async () => {
    await loadBoxImage(root, work);
  });

  it('copies into a destination that is an existing directory, and reads `.`, `./` and a trailing `/` as directories', () => {
    const tree = built(
      context({
        Dockerfile: [
          'FROM scratch',
          'WORKDIR /wd',
          'COPY package.json .',
          'COPY lib.js rel/',
          'COPY lib.js ./',
          'COPY main.js /wd',
          'COPY data/ /wd',
          'COPY main.js /new/name',
        ].join('\n'),
        'package.json': '{}\n',
        'lib.js': 'lib\n',
        'main.js': 'main\n',
        'data/inner.txt': 'inner\n',
      }),
      'parity-dest:1',
    );
    assert.equal(kind(tree, 'wd'), dir());
    assert.equal(kind(tree, 'wd/package.json'), file('{}\n'));
    assert.equal(kind(tree, 'wd/rel'), dir());
    assert.equal(kind(tree, 'wd/rel/lib.js'), file('lib\n'));
    assert.equal(kind(tree, 'wd/lib.js'), file('lib\n'));
    assert.equal(kind(tree, 'wd/main.js'), file('main\n'));
    assert.equal(kind(tree, 'wd/inner.txt'), file('inner\n'), 'a directory copies its contents into the existing one');
    assert.equal(kind(tree, 'new/name'), file('main\n'), 'a path that is not there (no slash) names the file');
  });

  it('creates an empty directory copied from the context', () => {
    const tree = built(
      context({ Dockerfile: 'FROM scratch\nCOPY empty /e\nCOPY tree /t/\n', 'empty/': '', 'tree/sub/': '', 'tree/f': 'f' }),
      'parity-empty:1',
    );
    assert.equal(kind(tree, 'e'), dir());
    assert.equal(kind(tree, 't/sub'), dir());
    assert.equal(kind(tree, 't/f'), file('f'));
  });

  it('follows a symlink named as the source; links inside a copied directory stay links', () => {
    const tree = built(
      context(
        {
          Dockerfile: 'FROM scratch\nCOPY link-to-file /x\nCOPY link-to-dir /y/\nCOPY link-to-file /into/\n',
          'real.txt': 'real\n',
          'realdir/inner.txt': 'inner\n',
        },
        { 'link-to-file': 'real.txt', 'link-to-dir': 'realdir', 'realdir/rel-link': 'inner.txt' },
      ),
      'parity-links:1',
    );
    assert.equal(kind(tree, 'x'), file('real\n'));
    assert.equal(kind(tree, 'y/inner.txt'), file('inner\n'));
    assert.equal(kind(tree, 'y/rel-link'), '-> inner.txt link 0:0');
    assert.equal(kind(tree, 'into/link-to-file'), file('real\n'), 'named after the link');
  });

  it('matches sources with Go’s filepath.Match (`**` is `*`), skipping a wildcard that matches nothing', () => {
    const tree = built(
      context({
        Dockerfile: 'FROM scratch\nCOPY **/*.txt /one-down/\nCOPY *.missing top.txt /some/\n',
        'top.txt': 'top\n',
        'a/one.txt': 'one\n',
        'a/b/two.txt': 'two\n',
      }),
      'parity-glob:1',
    );
    assert.deepEqual(
      Object.keys(tree).filter((p) => p.startsWith('one-down/') || p.startsWith('some/')),
      ['one-down/one.txt', 'some/top.txt'],
    );
  });

  it('owns what COPY --chown makes (parents, the destination) and a WORKDIR by the USER', () => {
    const tree = built(
      context({
        Dockerfile: [
          'FROM scratch',
          'COPY --chown=1000:1000 src /opt/app/lib',
          'COPY --chown=7:8 one.txt /deep/er/',
          'USER 1000:1000',
          'WORKDIR /home/app/work',
        ].join('\n'),
        'src/a': 'a',
        'one.txt': '1',
      }),
      'parity-owner:1',
    );
    assert.equal(kind(tree, 'opt'), dir('755', '1000:1000'));
    assert.equal(kind(tree, 'opt/app/lib'), dir('755', '1000:1000'));
    assert.equal(kind(tree, 'opt/app/lib/a'), file('a', '644', '1000:1000'));
    assert.equal(kind(tree, 'deep/er'), dir('755', '7:8'));
    assert.equal(kind(tree, 'deep/er/one.txt'), file('1', '644', '7:8'));
    assert.equal(kind(tree, 'home'), dir('755', '1000:1000'));
    assert.equal(kind(tree, 'home/app/work'), dir('755', '1000:1000'));
  });

  it('keeps modes and links from the context: 0000 stays 0000, hard links stay hard links', () => {
    const ctx = context({ Dockerfile: 'FROM scratch\nCOPY d /d/\n', 'd/locked': 'secret', 'd/a': 'same' });
    chmodSync(join(ctx, 'd/locked'), 0);
    linkSync(join(ctx, 'd/a'), join(ctx, 'd/b'));
    const tree = built(ctx, 'parity-modes:1');
    assert.equal(kind(tree, 'd/locked'), file('secret', '0'));
    assert.deepEqual(tree['d/a']?.links, ['d/a', 'd/b']);
  });

  it('unpacks .tar.bz2 and .tar.xz with ADD', async () => {
    const ctx = context({ Dockerfile: 'FROM scratch\nADD files.tar.bz2 /bz/\nADD files.tar.xz /xz/\n' });
    const tarred = await makeLayer([
      { path: 'pkg/', type: 'directory' },
      { path: 'pkg/readme', content: 'from the tarball\n' },
    ]);
    for (const [tool, name] of [
      ['bzip2', 'files.tar.bz2'],
      ['xz', 'files.tar.xz'],
    ] as const) {
      const r = spawnSync(tool, ['-c'], { input: tarred });
      assert.equal(r.status, 0, String(r.stderr));
      writeFileSync(join(ctx, name), r.stdout);
    }
    const tree = built(ctx, 'parity-add:1');
    assert.equal(kind(tree, 'bz/pkg/readme'), file('from the tarball\n'));
    assert.equal(kind(tree, 'xz/pkg/readme'), file('from the tarball\n'));
  });

  it('gives RUN the predefined proxy args without an ARG line, and keeps them out of the history', () => {
    const ctx = context({ Dockerfile: 'FROM box:v1\nRUN echo "$HTTP_PROXY $no_proxy" > /proxy\n' });
    const tree = built(ctx, 'parity-proxy:1', [
      '--build-arg',
      'HTTP_PROXY=http://proxy.invalid:3128',
      '--build-arg',
      'no_proxy=localhost',
    ]);
    assert.equal(kind(tree, 'proxy'), file('http://proxy.invalid:3128 localhost\n'));
    const history = JSON.stringify(config('parity-proxy:1').history);
    assert.ok(!history.includes('proxy.invalid'), history);
  });

  it("reads `CMD [ 'echo', 'hi' ]` (not JSON) as the shell form", () => {
    const r = build(context({ Dockerfile: "FROM scratch\nCMD [ 'echo', 'hi' ]\n" }), ['-t', 'parity-cmd:1']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(config('parity-cmd:1').config.Cmd, ['/bin/sh', '-c', "[ 'echo', 'hi' ]"]);
  });

  it('gives an explicit USER uid:gid no supplementary groups from /etc/group; a user name gets them', () => {
    // box:v1's /etc/group has `staff:x:50:app`; BuildKit's GetUser takes `1000:1000` as it is (no
    // lookup), and runc's GetExecUser lists supplementary groups only when no group is given.
    const ctx = context({
      Dockerfile: [
        'FROM box:v1',
        'COPY --chown=1000:1000 Dockerfile /out/',
        'USER app',
        'RUN id -G > /out/named',
        'USER 1000:1000',
        'RUN id -G > /out/explicit',
      ].join('\n'),
    });
    const r = build(ctx, ['-t', 'parity-user:1']);
    assert.equal(r.code, 0, r.stderr);
    const out = join(work, 'unpacked-parity-user');
    assert.equal(stevedore(root, ['unpack', 'parity-user:1', out]).code, 0);
    assert.equal(readFileSync(join(out, 'out/named'), 'utf8'), '1000 50\n');
    assert.equal(readFileSync(join(out, 'out/explicit'), 'utf8'), '1000\n');
  });

  it('warns about --build-args that no ARG consumed', () => {
    const r = build(context({ Dockerfile: 'FROM scratch\nARG USED\nCOPY Dockerfile /\n' }), [
      '--build-arg',
      'USED=1',
      '--build-arg',
      'NOT_USED=2',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\[Warning\] One or more build-args \[NOT_USED\] were not consumed$/m);
  });
  it('--secret id=…,src=… and id=…,env=… reach RUN --mount=type=secret, and no layer or history holds them', () => {
    const ctx = context({
      Dockerfile: [
        'FROM box:v1',
        // The values to expect come from the context, so that the Dockerfile (in the history) holds neither.
        'RUN --mount=type=bind,target=/ctx --mount=type=secret,id=fromfile --mount=type=secret,id=fromenv,env=TOKEN \\',
        '    test "$(cat /run/secrets/fromfile)" = "$(cat /ctx/file)" && test "$TOKEN" = "$(cat /ctx/env)" && echo ok > /checked',
      ].join('\n'),
      file: 'file-s3cret',
      env: 'env-s3cret',
    });
    const secretFile = join(work, 'secret.txt');
    writeFileSync(secretFile, 'file-s3cret');
    process.env.STEVEDORE_TEST_SECRET = 'env-s3cret';
    let tree: Record<string, TreeEntry>;
    try {
      tree = built(ctx, 'parity-secret:1', [
        '--secret',
        `id=fromfile,src=${secretFile}`,
        '--secret',
        'id=fromenv,env=STEVEDORE_TEST_SECRET',
      ]);
    } finally {
      delete process.env.STEVEDORE_TEST_SECRET;
    }
    assert.equal(kind(tree, 'checked'), file('ok\n'));
    const secretDigests = [sha('file-s3cret'), sha('env-s3cret')];
    const holding = Object.entries(tree).filter(([, e]) => e.sha256 && secretDigests.includes(e.sha256));
    assert.deepEqual(holding, [], 'no file of the image holds a secret');
    const everything = JSON.stringify(config('parity-secret:1'));
    assert.ok(!everything.includes('s3cret'), everything);
  });

  it('refuses a --secret that cannot be read, in one line', () => {
    const r = build(context({ Dockerfile: 'FROM scratch\n' }), ['--secret', `id=tok,src=${join(work, 'no-such-file')}`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /secret tok: cannot read .*no-such-file: ENOENT/);
  });

  it('--label K=V (repeatable) sets labels over those the Dockerfile gives', () => {
    const r = build(context({ Dockerfile: 'FROM scratch\nLABEL a=from-file b=kept\n' }), [
      '-t',
      'parity-label:1',
      '--label',
      'a=from-flag',
      '--label',
      'c=x=y',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(config('parity-label:1').config.Labels, { a: 'from-flag', b: 'kept', c: 'x=y' });
  });

  it('--no-cache-filter STAGE runs that stage’s steps again and takes the others from the cache', () => {
    const ctx = context({
      Dockerfile: 'FROM box:v1 AS First\nRUN echo one > /one\nFROM box:v1\nCOPY --from=first /one /one\nRUN echo two > /two\n',
    });
    /** Each step's title (without its `[i/n]`) with how it ended, from the plain progress. */
    const ends = (stderr: string) => {
      const titles = new Map<string, string>();
      const out: string[] = [];
      for (const line of stderr.split('\n')) {
        const m = /^#(\d+) (\[[^\]]*\] )?(.*)$/.exec(line);
        if (!m) continue;
        const [, n = '', , rest = ''] = m;
        if (rest === 'CACHED' || rest.startsWith('DONE ')) out.push(`${titles.get(n)}: ${rest.split(' ')[0]}`);
        else if (!titles.has(n)) titles.set(n, rest);
      }
      return out;
    };
    assert.equal(build(ctx).code, 0);
    const r = build(ctx, ['--no-cache-filter', 'first']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(ends(r.stderr).includes('RUN echo one > /one: DONE'), r.stderr);
    assert.ok(ends(r.stderr).includes('RUN echo two > /two: CACHED'), r.stderr);
  });
  it('`build -` reads a Dockerfile from stdin, with no context, and leaves no temporary files', () => {
    const tmp = emptyDir('tmp-dockerfile');
    const r = inTmpdir(tmp, () =>
      stevedore(root, ['build', '-t', 'parity-stdin:1', '-'], 'FROM box:v1\nRUN echo from-stdin > /made\n'),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(kind(unpacked('parity-stdin:1'), 'made'), file('from-stdin\n'));
    assert.deepEqual(readdirSync(tmp), [], 'the empty context is removed');
    const copy = inTmpdir(tmp, () => stevedore(root, ['build', '-'], 'FROM scratch\nCOPY anything /\n'));
    assert.notEqual(copy.code, 0, 'there is no context to copy from');
    assert.match(copy.stderr, /anything.*not found/);
    assert.deepEqual(readdirSync(tmp), []);
  });

  it('`build - < context.tar.gz` takes the context from stdin, -f naming a file in it, each entry kept inside it', async () => {
    const tar = await makeLayer([
      { path: 'sub/', type: 'directory' },
      { path: 'sub/Build.file', content: 'FROM scratch\nCOPY . /ctx/\n' },
      { path: 'hello.txt', content: 'hello\n' },
      // Hostile: a link out of the context, and a file written through it.
      { path: 'out', type: 'symlink', linkname: '/' },
      { path: 'out/tmp-escaped', content: 'out\n' },
    ]);
    const tmp = emptyDir('tmp-tar');
    const outside = withoutStore(snapshotTree(work));
    const r = inTmpdir(tmp, () => stevedore(root, ['build', '-t', 'parity-tar:1', '-f', 'sub/Build.file', '-'], gzipSync(tar)));
    assert.equal(r.code, 0, r.stderr);
    const tree = unpacked('parity-tar:1');
    assert.equal(kind(tree, 'ctx/hello.txt'), file('hello\n'));
    assert.equal(kind(tree, 'ctx/sub/Build.file'), file('FROM scratch\nCOPY . /ctx/\n'));
    assert.equal(kind(tree, 'ctx/out'), '-> / link 0:0');
    assert.equal(kind(tree, 'ctx/tmp-escaped'), file('out\n'), 'written through the link, inside the context');
    assert.equal(existsSync('/tmp-escaped'), false);
    assert.deepEqual(readdirSync(tmp), [], 'the unpacked context is removed');
    assert.deepEqual(withoutStore(snapshotTree(work)), outside, 'nothing outside the store moved');
  });

  it('refuses a context tar on stdin whose entry climbs out of it, in one line, and writes nothing', async () => {
    const tar = await makeLayer([
      { path: 'Dockerfile', content: 'FROM scratch\nCOPY . /\n' },
      { path: '../escaped', content: 'out\n' },
    ]);
    const tmp = emptyDir('tmp-climb');
    const outside = withoutStore(snapshotTree(work));
    const r = inTmpdir(tmp, () => stevedore(root, ['build', '-t', 'parity-climb:1', '-'], tar));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^error: refusing layer entry "\.\.\/escaped": it climbs out of the root filesystem\n$/);
    assert.deepEqual(readdirSync(tmp), [], 'the half-unpacked context is removed');
    assert.deepEqual(withoutStore(snapshotTree(work)), outside, 'nothing outside the store moved');
    assert.equal(stevedore(root, ['inspect', '--type', 'image', 'parity-climb:1']).code === 0, false);
  });

  it('`-f -` reads the Dockerfile from stdin and the context from the directory', () => {
    const ctx = context({ 'hello.txt': 'hello\n', '.dockerignore': 'ignored.txt\n', 'ignored.txt': 'no\n' });
    const before = snapshotTree(ctx);
    const r = stevedore(root, ['build', '-t', 'parity-fstdin:1', '-f', '-', ctx], 'FROM scratch\nCOPY . /ctx/\n');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(snapshotTree(ctx), before, 'the build context is as it was');
    const tree = unpacked('parity-fstdin:1');
    assert.equal(kind(tree, 'ctx/hello.txt'), file('hello\n'));
    assert.equal(kind(tree, 'ctx/ignored.txt'), undefined, 'the context’s .dockerignore applies');
  });

  it('refuses stdin for both the context and the Dockerfile, in one line, as buildx', () => {
    const both = stevedore(root, ['build', '-f', '-', '-'], 'FROM scratch\n');
    assert.notEqual(both.code, 0);
    assert.equal(both.stderr.trim().split('\n').length, 1, both.stderr);
    assert.match(both.stderr, /can't use stdin for both build context and dockerfile/);
    const ambiguous = stevedore(root, ['build', '-f', join(work, 'Dockerfile'), '-'], 'FROM scratch\n');
    assert.notEqual(ambiguous.code, 0);
    assert.match(ambiguous.stderr, /ambiguous Dockerfile source: both stdin and flag correspond to Dockerfiles/);
  });

  it('--iidfile FILE gets the image ID; a failed build leaves no earlier one there', () => {
    const iid = join(work, 'iid');
    const r = build(context({ Dockerfile: 'FROM scratch\nLABEL iid=1\n' }), ['--iidfile', iid]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), /^sha256:[0-9a-f]{64}$/);
    assert.equal(readFileSync(iid, 'utf8'), r.stdout.trim(), 'the ID, with no newline, as docker writes it');
    const failed = build(context({ Dockerfile: 'FROM scratch\nCOPY missing /\n' }), ['--iidfile', iid]);
    assert.notEqual(failed.code, 0);
    assert.equal(existsSync(iid), false);
  });
});
