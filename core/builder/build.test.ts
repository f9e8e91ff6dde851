// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dockerfile text, where ${…} is the syntax under test
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Buildah, hasBuildah } from '../../testkit/buildah.js';
import { peer, stevedore } from '../../testkit/cli.js';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';

const work = tempDir();
const root = join(work, 'store');

/** A build context: files by relative path. */
function context(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function build(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return stevedore(root, ['build', '--progress', 'plain', ...args]);
  } finally {
    process.env = saved;
  }
}

function ok(args: string[], env: Record<string, string> = {}): { stdout: string; stderr: string } {
  const r = build(args, env);
  assert.equal(r.code, 0, r.stderr);
  return r;
}

const run = (image: string, ...cmd: string[]) => {
  const r = stevedore(root, ['run', '--rm', '--network', 'none', image, ...cmd]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};

/** Each step's title and how it ended, from the plain progress. */
function steps(stderr: string): [string, string][] {
  const titles = new Map<string, string>();
  const ends: [string, string][] = [];
  for (const line of stderr.split('\n')) {
    const m = /^#(\d+) (\[.*)$/.exec(line);
    if (m) titles.set(m[1]!, m[2]!);
    const end = /^#(\d+) (CACHED|DONE|ERROR)/.exec(line);
    if (end) ends.push([titles.get(end[1]!) ?? '?', end[2]!]);
  }
  return ends;
}

describe('stevedore build', () => {
  before(async () => {
    // `bb:1` is busybox without a WorkingDir (buildah would create the base's WorkingDir, docker does not);
    // `box:go` is the same with a GOPATH in its Env, as golang's images have.
    const layers = [
      await busyboxLayer(['sh', 'echo', 'cat', 'id', 'pwd', 'mkdir', 'ls', 'test', 'wc']),
      await makeLayer([
        { path: 'etc/', type: 'directory' },
        { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' },
        { path: 'etc/group', content: 'root:x:0:\napp:x:1000:\n' },
      ]),
    ];
    await loadBoxImage(root, work, [
      { refName: 'bb', layers, config: { Cmd: ['sh'], Env: ['PATH=/bin'] } },
      { refName: 'go', layers, config: { Cmd: ['sh'], Env: ['PATH=/bin', 'GOPATH=/go'] } },
    ]);
  });

  it('builds a multi-stage Dockerfile: COPY --from a stage, ARG and ENV, .dockerignore, USER, WORKDIR, and the image runs', () => {
    const dir = context('multi', {
      Dockerfile: [
        'FROM box:bb AS builder',
        'ARG VERSION=1.0',
        'ENV APP_HOME=/opt/app',
        'WORKDIR $APP_HOME',
        'COPY src/ ./src/',
        'RUN echo "version $VERSION" > version.txt && cat src/main.txt >> version.txt',
        '',
        'FROM box:bb',
        'COPY --from=builder /opt/app /app',
        'COPY --chown=app:app . /ctx/',
        'RUN mkdir -m 1777 /tmp',
        'USER app',
        'WORKDIR /ctx',
        'RUN id -u > /tmp/uid && pwd >> /tmp/uid && ls /ctx /ctx/logs > /tmp/listing',
        'CMD ["sh", "-c", "cat /app/version.txt /tmp/uid /tmp/listing"]',
      ].join('\n'),
      'src/main.txt': 'main\n',
      'secret.txt': 'not for the image\n',
      '.dockerignore': 'secret.txt\n*.log\nlogs\n!logs/keep.log\n',
      'debug.log': 'x\n',
      'logs/keep.log': 'kept\n',
      'logs/drop.log': 'dropped\n',
    });
    ok(['-t', 'multi:1', '--build-arg', 'VERSION=2.5', dir]);
    assert.equal(run('multi:1'), 'version 2.5\nmain\n1000\n/ctx\n/ctx:\nDockerfile\nlogs\nsrc\n\n/ctx/logs:\nkeep.log\n');
    const config = JSON.parse(stevedore(root, ['inspect', '--type', 'image', '--json', 'multi:1']).stdout) as {
      imageConfig: {
        config: { User: string; WorkingDir: string; Cmd: string[] };
        history: { created_by: string; empty_layer?: boolean }[];
      };
    };
    assert.equal(config.imageConfig.config.User, 'app');
    assert.equal(config.imageConfig.config.WorkingDir, '/ctx');
    assert.ok(config.imageConfig.history.some((h) => h.created_by === 'USER app' && h.empty_layer === true));
  });

  it('substitutes ARG and ENV as docker does', () => {
    // [instruction lines, --build-args, expected `echo` output]
    const cases: [string[], string[], string][] = [
      [['ARG A=1', 'ENV B=${A}-x', 'LABEL l=$B'], [], '1-x'],
      [['ARG A=1', 'ENV B=${A}-x'], ['A=2'], '2-x'],
      [['ENV A=1', 'ENV A=2 B=$A'], [], '1'],
      [['ARG A', 'ENV B=${A:-unset}'], [], 'unset'],
      [['ARG A', 'ENV B=${A:+set}'], ['A=x'], 'set'],
      [['ENV B=\\$A'], [], '$A'],
    ];
    for (const [index, [lines, args, expected]] of cases.entries()) {
      const dir = context(`subst-${index}`, { Dockerfile: ['FROM box:bb', ...lines, 'CMD ["sh", "-c", "echo $B"]'].join('\n') });
      ok(['-t', `subst:${index}`, ...args.flatMap((a) => ['--build-arg', a]), dir]);
      assert.equal(run(`subst:${index}`).trim(), expected, `${lines.join('; ')} with ${args.join(' ')}`);
    }
  });

  it('runs heredocs, and ENTRYPOINT with CMD by docker’s rules', () => {
    const dir = context('heredoc', {
      Dockerfile: [
        'FROM box:bb',
        'CMD ["inherited"]',
        'RUN <<EOF',
        'mkdir -p /out',
        'echo from heredoc > /out/a',
        'EOF',
        'COPY <<EOF /out/b',
        'copied heredoc',
        'EOF',
        'ENTRYPOINT ["cat"]',
      ].join('\n'),
    });
    ok(['-t', 'heredoc:1', dir]);
    // ENTRYPOINT set after a CMD of the same stage keeps it: `cat inherited` fails, so check the config.
    const config = JSON.parse(stevedore(root, ['inspect', '--type', 'image', '--json', 'heredoc:1']).stdout) as {
      imageConfig: { config: { Entrypoint: string[]; Cmd: string[] | null } };
    };
    assert.deepEqual(config.imageConfig.config.Entrypoint, ['cat']);
    assert.deepEqual(config.imageConfig.config.Cmd, ['inherited']);
    assert.equal(run('heredoc:1', '/out/a', '/out/b'), 'from heredoc\ncopied heredoc\n');
    // A stage that only sets ENTRYPOINT over an image with a CMD resets that CMD.
    const child = context('entry', { Dockerfile: 'FROM heredoc:1\nENTRYPOINT ["echo", "only"]\n' });
    ok(['-t', 'entry:1', child]);
    assert.equal(run('entry:1'), 'only\n');
  });

  it('caches every step of an unchanged rebuild, and rebuilds only from a changed COPY on', () => {
    const files = {
      Dockerfile: [
        'FROM box:bb',
        'COPY a.txt /a.txt',
        'RUN cat /a.txt > /copy-of-a',
        'COPY b.txt /b.txt',
        'RUN cat /b.txt > /copy-of-b',
      ].join('\n'),
      'a.txt': 'a\n',
      'b.txt': 'b\n',
    };
    const dir = context('cache', files);
    ok(['-t', 'cache:1', dir]);
    const again = ok(['-t', 'cache:1', dir]);
    assert.deepEqual(
      steps(again.stderr).map(([, end]) => end),
      ['DONE', 'CACHED', 'CACHED', 'CACHED', 'CACHED'],
    );
    writeFileSync(join(dir, 'b.txt'), 'b changed\n');
    const changed = ok(['-t', 'cache:1', dir]);
    assert.deepEqual(
      steps(changed.stderr).map(([title, end]) => `${title.replace(/^\[\d\/\d\] /, '')}: ${end}`),
      [
        'FROM box:bb: DONE',
        'COPY a.txt /a.txt: CACHED',
        'RUN cat /a.txt > /copy-of-a: CACHED',
        'COPY b.txt /b.txt: DONE',
        'RUN cat /b.txt > /copy-of-b: DONE',
      ],
    );
    assert.equal(run('cache:1', 'cat', '/copy-of-b'), 'b changed\n');
    const fresh = ok(['-t', 'cache:1', '--no-cache', dir]);
    assert.ok(!steps(fresh.stderr).some(([, end]) => end === 'CACHED'));
  });

  it('runs a RUN again when the files its bind mount shows change (not an ignored one), from the context or a stage', () => {
    const dir = context('bind', {
      Dockerfile: 'FROM box:bb\nRUN --mount=type=bind,source=src,target=/src cat /src/input > /output\n',
      'src/input': 'first\n',
      'src/notes.log': 'x',
      '.dockerignore': 'src/*.log\n',
    });
    const ends = (r: { stderr: string }) => steps(r.stderr).map(([, end]) => end);
    ok(['-t', 'bind:1', dir]);
    writeFileSync(join(dir, 'src', 'notes.log'), 'y');
    assert.deepEqual(ends(ok(['-t', 'bind:1', dir])), ['DONE', 'CACHED']);
    writeFileSync(join(dir, 'src', 'input'), 'second\n');
    assert.deepEqual(ends(ok(['-t', 'bind:1', dir])), ['DONE', 'DONE']);
    assert.equal(run('bind:1', 'cat', '/output'), 'second\n');

    // From a stage: the step that reads it runs again when the stage made something else.
    const staged = (value: string) =>
      context('bind-stage', {
        Dockerfile: [
          'FROM box:bb AS gen',
          `RUN echo ${value} > /v`,
          'FROM box:bb',
          'RUN --mount=type=bind,from=gen,source=/v,target=/v cat /v > /out',
        ].join('\n'),
      });
    ok(['-t', 'bind:2', staged('v1')]);
    ok(['-t', 'bind:2', staged('v2')]);
    assert.equal(run('bind:2', 'cat', '/out'), 'v2\n');

    const missing = build([
      '-t',
      'bind:3',
      context('bind-missing', { Dockerfile: 'FROM box:bb\nRUN --mount=type=bind,source=nowhere,target=/x cat /x\n' }),
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /RUN --mount=type=bind: "nowhere" not found \(in the build context/);
  });

  it('shows a RUN bind mount of the context without what .dockerignore leaves out; rw writes stay out of the context', () => {
    const dir = context('bind-ignored', {
      Dockerfile: [
        'FROM box:bb',
        'RUN --mount=type=bind,target=/ctx find /ctx | sort > /ro',
        'RUN --mount=type=bind,source=src,target=/src,rw echo more >> /src/keep.txt && echo new > /src/made && cat /src/keep.txt > /rw',
      ].join('\n'),
      'src/keep.txt': 'k\n',
      'src/secret.env': 'TOKEN=x\n',
      'src/logs/a.log': 'a',
      'src/logs/kept.log': 'b',
      '.dockerignore': 'src/*.env\nsrc/logs\n!src/logs/kept.log\n',
    });
    ok(['-t', 'bindignored:1', dir]);
    assert.deepEqual(run('bindignored:1', 'cat', '/ro').split('\n').filter(Boolean), [
      '/ctx',
      '/ctx/.dockerignore',
      '/ctx/Dockerfile',
      '/ctx/src',
      '/ctx/src/keep.txt',
      '/ctx/src/logs',
      '/ctx/src/logs/kept.log',
    ]);
    assert.equal(run('bindignored:1', 'cat', '/rw'), 'k\nmore\n');
    // The step wrote through its mount, not to the context's files (the view links them).
    assert.equal(readFileSync(join(dir, 'src', 'keep.txt'), 'utf8'), 'k\n');
    assert.ok(!existsSync(join(dir, 'src', 'made')));
  });

  it('builds the same image twice with SOURCE_DATE_EPOCH=0, even without the cache', () => {
    const dir = context('repro', {
      Dockerfile: ['FROM box:bb', 'COPY f.txt /f.txt', 'RUN mkdir /made && echo x > /made/x', 'ENV A=1'].join('\n'),
      'f.txt': 'f\n',
    });
    const first = ok(['-q', '--no-cache', dir], { SOURCE_DATE_EPOCH: '0' }).stdout.trim();
    const second = ok(['-q', '--no-cache', dir], { SOURCE_DATE_EPOCH: '0' }).stdout.trim();
    assert.match(first, /^sha256:[0-9a-f]{64}$/);
    assert.equal(first, second);
    const digests = JSON.parse(stevedore(root, ['images', '--json']).stdout) as { id: string; digest: string }[];
    assert.equal(new Set(digests.filter((i) => i.id === first).map((i) => i.digest)).size, 1);
    const later = ok(['-q', '--no-cache', dir], { SOURCE_DATE_EPOCH: '86400' }).stdout.trim();
    assert.notEqual(later, first, 'another epoch is another image');
  });

  it('unpacks a local tar with ADD, keeps a RUN cache mount across builds, and leaves mount points out of the layer', async () => {
    const dir = context('add', {
      Dockerfile: [
        'FROM box:bb',
        'ADD files.tar.gz /opt/',
        'RUN --mount=type=cache,target=/var/cache/thing sh -c "echo run >> /var/cache/thing/runs; wc -l < /var/cache/thing/runs > /opt/runs"',
      ].join('\n'),
    });
    const tarred = await makeLayer([
      { path: 'pkg/', type: 'directory' },
      { path: 'pkg/readme', content: 'from the tarball\n' },
    ]);
    writeFileSync(join(dir, 'files.tar.gz'), gzipSync(tarred));
    ok(['-t', 'add:1', dir]);
    ok(['-t', 'add:2', '--no-cache', dir]);
    assert.equal(run('add:1', 'cat', '/opt/pkg/readme', '/opt/runs'), 'from the tarball\n1\n');
    assert.equal(run('add:2', 'cat', '/opt/runs'), '2\n', 'the second build saw the first one’s cache mount');
    assert.ok(!run('add:2', 'ls', '/').split('\n').includes('var'), 'the cache mount’s target is no part of the image');
  });

  it('unpacks a zstd tar with ADD, and copies a gzipped file that is no tar as it is', async () => {
    const dir = context('add-kinds', {
      Dockerfile: ['FROM box:bb', 'ADD files.tar.zst /opt/', 'ADD notes.txt.gz /'].join('\n'),
    });
    const tarred = await makeLayer([
      { path: 'pkg/', type: 'directory' },
      { path: 'pkg/readme', content: 'from the zstd tarball\n' },
    ]);
    const zstd = spawnSync('zstd', ['-q', '-c'], { input: tarred });
    assert.equal(zstd.status, 0, String(zstd.stderr));
    writeFileSync(join(dir, 'files.tar.zst'), zstd.stdout);
    const notes = gzipSync('plain notes, not a tar\n'.repeat(50));
    writeFileSync(join(dir, 'notes.txt.gz'), notes);
    ok(['-t', 'add-kinds:1', dir]);
    assert.equal(run('add-kinds:1', 'cat', '/opt/pkg/readme'), 'from the zstd tarball\n');
    const sum = createHash('sha256').update(notes).digest('hex');
    assert.equal(run('add-kinds:1', '/bin/busybox', 'sha256sum', '/notes.txt.gz'), `${sum}  /notes.txt.gz\n`);
  });

  it('copies by glob, with --chmod, and a stage by index', () => {
    const dir = context('glob', {
      Dockerfile: [
        'FROM box:bb AS first',
        'COPY *.txt notes/*.md /in/',
        'FROM box:bb',
        'COPY --from=0 --chmod=700 /in /in',
        'CMD ["ls", "-l", "/in"]',
      ].join('\n'),
      'a.txt': 'a\n',
      'b.txt': 'b\n',
      'c.dat': 'c\n',
      'notes/n.md': 'n\n',
    });
    ok(['-t', 'glob:1', dir]);
    const listing = run('glob:1')
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('total'))
      .map((l) => `${l.split(/\s+/)[0]} ${l.split(/\s+/).at(-1)}`);
    assert.deepEqual(listing, ['-rwx------ a.txt', '-rwx------ b.txt', '-rwx------ n.md']);
  });

  it('keeps the layers the cache names through gc, and forgets them with builder prune', () => {
    const dir = context('gc', { Dockerfile: 'FROM box:bb\nRUN echo kept > /kept\n' });
    ok(['-t', 'gc:1', dir]);
    assert.equal(stevedore(root, ['rmi', 'gc:1']).code, 0);
    assert.equal(stevedore(root, ['gc']).code, 0);
    assert.deepEqual(
      steps(ok(['-t', 'gc:1', dir]).stderr).map(([, end]) => end),
      ['DONE', 'CACHED'],
    );
    const pruned = stevedore(root, ['builder', 'prune']);
    assert.match(pruned.stdout, /^Deleted \d+ build cache entries/);
    assert.deepEqual(
      steps(ok(['-t', 'gc:1', dir]).stderr).map(([, end]) => end),
      ['DONE', 'DONE'],
    );
  });

  it('pulls a base image that is not in the store, showing its blobs as pull does', async () => {
    const registry = await startRegistry();
    try {
      assert.equal(stevedore(root, ['push', 'box:bb', `${registry.host}/base/bb:1`]).code, 0);
      const elsewhere = join(work, 'other-store');
      const dir = context('pulled', { Dockerfile: `FROM ${registry.host}/base/bb:1\nRUN echo built on a pulled base > /note\n` });
      const r = stevedore(elsewhere, ['build', '--progress', 'plain', '-t', 'pulled:1', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^[0-9a-f]{12}: Pull complete$/m);
      const note = stevedore(elsewhere, ['run', '--rm', '--network', 'none', 'pulled:1', 'cat', '/note']);
      assert.equal(note.stdout, 'built on a pulled base\n');
    } finally {
      await registry.stop();
    }
  });

  it('substitutes the base image’s Env from the first instruction on: WORKDIR $GOPATH', () => {
    const dir = context('base-env', { Dockerfile: 'FROM box:go\nWORKDIR $GOPATH\nRUN pwd > /where\n' });
    ok(['-t', 'base-env:1', dir]);
    assert.equal(run('base-env:1', 'cat', '/where'), '/go\n');
    const config = JSON.parse(stevedore(root, ['inspect', '--type', 'image', '--json', 'base-env:1']).stdout) as {
      imageConfig: { config: { WorkingDir: string } };
    };
    assert.equal(config.imageConfig.config.WorkingDir, '/go');
  });

  it('commits a layer for a WORKDIR that exists already, an empty one, as BuildKit does (but none for WORKDIR /)', () => {
    // BuildKit's dispatchWorkdir runs llb.Mkdir for any path but `/` and records it with a layer
    // (frontend/dockerfile/dockerfile2llb/convert.go); on an existing directory that layer is the
    // empty tar (docker/buildx#1910: the 32-byte layer).
    const dir = context('workdir-exists', { Dockerfile: 'FROM box:bb\nWORKDIR /etc\nWORKDIR /\n' });
    ok(['-t', 'workdir-exists:1', dir]);
    const image = (tag: string) =>
      JSON.parse(stevedore(root, ['inspect', '--type', 'image', '--json', tag]).stdout).imageConfig as {
        history: { created_by: string; empty_layer?: boolean }[];
        rootfs: { diff_ids: string[] };
      };
    const base = image('box:bb');
    const built = image('workdir-exists:1');
    assert.deepEqual(
      built.history.slice(-2).map((h) => [h.created_by, h.empty_layer === true]),
      [
        ['WORKDIR /etc', false],
        ['WORKDIR /', true],
      ],
    );
    // The empty tar: 1024 zero bytes, as BuildKit's differ writes for no change.
    assert.deepEqual(built.rootfs.diff_ids, [
      ...base.rootfs.diff_ids,
      `sha256:${createHash('sha256').update(Buffer.alloc(1024)).digest('hex')}`,
    ]);
  });

  it('says what failed: a RUN that exits non-zero, a missing COPY source, a Dockerfile error with its line', () => {
    const failing = build([context('fail-run', { Dockerfile: 'FROM box:bb\nRUN echo about to fail; exit 3\n' })]);
    assert.notEqual(failing.code, 0);
    // The step's output line, stamped with its time since the step began (whatever the machine's load).
    assert.match(failing.stderr, /^#2 \d+\.\d+s about to fail$/m);
    assert.match(
      failing.stderr,
      /^error: process "\/bin\/sh -c echo about to fail; exit 3" did not complete successfully: exit code: 3$/m,
    );
    const missing = build([context('fail-copy', { Dockerfile: 'FROM box:bb\nCOPY nothere /x\n' })]);
    assert.match(missing.stderr, /^error: COPY failed: "\/nothere": not found/m);
    // A RUN in a WORKDIR the runtime would make the host's (CVE-2024-21626) is refused, as `run` refuses it.
    const procWorkdir = build([context('fail-workdir', { Dockerfile: 'FROM box:bb\nWORKDIR /proc/self/fd/7\nRUN pwd\n' })]);
    assert.match(
      procWorkdir.stderr,
      /^error: refusing the working directory \/proc\/self\/fd\/7: .* inside a kernel filesystem$/m,
    );
    const bad = build([context('fail-parse', { Dockerfile: 'FROM box:bb\nRUNN echo\n' })]);
    assert.match(bad.stderr, /^error: Dockerfile line 2: .*RUNN/m);
  });

  it('matches buildah: the same root filesystem and config fields', { skip: !hasBuildah && 'buildah is not installed' }, () => {
    const dir = context('parity', {
      Dockerfile: [
        'FROM box:bb AS builder',
        'ARG VERSION=1.0',
        'ENV APP_HOME=/opt/app',
        'WORKDIR $APP_HOME',
        'COPY src/ ./src/',
        'RUN echo "version $VERSION" > version.txt && cat src/main.txt >> version.txt && mkdir -p gen && echo generated > gen/file',
        '',
        'FROM box:bb',
        'COPY --from=builder /opt/app /app',
        'COPY config.ini /etc/app/config.ini',
        'COPY . /ctx/',
        'ENV MODE=production',
        'USER app',
        'WORKDIR /app',
        'ENTRYPOINT ["cat"]',
        'CMD ["/app/version.txt"]',
      ].join('\n'),
      'src/main.txt': 'main\n',
      'config.ini': '[cfg]\n',
      'secret.txt': 'no\n',
      '.dockerignore': 'secret.txt\n',
    });
    ok(['-t', 'parity:1', dir]);
    const ours = join(work, 'parity-ours');
    assert.equal(stevedore(root, ['unpack', 'parity:1', ours]).code, 0);
    const buildah = new Buildah();
    buildah.importLayout(join(work, 'box-layout'), 'bb', 'box:bb');
    buildah.bud(dir, 'parity:1');
    const layout = join(buildah.dir, 'out');
    buildah.pushLayout('parity:1', layout);
    const theirs = join(buildah.dir, 'bundle');
    peer('umoci', ['unpack', '--image', `${layout}:latest`, theirs]);
    assert.deepEqual(snapshotTree(ours), snapshotTree(join(theirs, 'rootfs')));
    const fields = (config: { config?: Record<string, unknown> }) => {
      const c = config.config ?? {};
      return { Cmd: c.Cmd, Entrypoint: c.Entrypoint, Env: c.Env, WorkingDir: c.WorkingDir, User: c.User };
    };
    const mine = JSON.parse(stevedore(root, ['inspect', '--type', 'image', '--json', 'parity:1']).stdout) as {
      imageConfig: { config?: Record<string, unknown> };
    };
    const theirsConfig = JSON.parse(peer('skopeo', ['inspect', '--config', `oci:${layout}:latest`])) as {
      config?: Record<string, unknown>;
    };
    assert.deepEqual(fields(mine.imageConfig), fields(theirsConfig));
  });
});
