// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dockerfile text, where ${…} is the syntax under test
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../testkit/tempDir.js';
import type { Dockerfile } from './instructionTypes.js';
import { type ParseOptions, parseDockerfile } from './parseDockerfile.js';

const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };

/** The labels of the target stage: each case observes its substitutions through LABEL. */
function labels(dockerfile: Dockerfile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const stage of dockerfile.stagesFor()) {
    if (stage.index !== dockerfile.target) continue;
    for (const i of stage.instructions) if (i.kind === 'LABEL') for (const p of i.pairs) out[p.key] = p.value;
  }
  return out;
}

interface Case {
  title: string;
  buildah?: true;
  dockerfile: string;
  options?: ParseOptions;
  expected: Record<string, string>;
}

/**
 * ARG/ENV substitution as BuildKit does it. Cases marked were built with
 * Debian's buildah 1.28 (`FROM scratch` + LABEL, `buildah inspect`) and gave the same labels;
 * the ones marked (BuildKit) are where buildah's classic-builder semantics differ from BuildKit's.
 */
const cases: Case[] = [
  {
    title: '$v and ${v}',
    buildah: true,
    dockerfile: 'FROM scratch\nENV v=x\nLABEL a=$v b=${v}y c=pre-$v-post',
    expected: { a: 'x', b: 'xy', c: 'pre-x-post' },
  },
  {
    title: '${v:-w} when unset and when empty',
    buildah: true,
    dockerfile: 'FROM scratch\nENV e=\nLABEL a=${u:-w} b=${e:-w}',
    expected: { a: 'w', b: 'w' },
  },
  {
    title: '${v-w} only replaces an unset variable',
    dockerfile: 'FROM scratch\nENV e=\nLABEL a=${u-w} b=${e-w}',
    expected: { a: 'w', b: '' },
  },
  {
    title: '${v:+w} only when set and not empty',
    buildah: true,
    dockerfile: 'FROM scratch\nENV v=1 e=\nLABEL a=${v:+w} b=${e:+w} c=${u:+w}',
    expected: { a: 'w', b: '', c: '' },
  },
  {
    title: '${v+w} when set, even empty',
    dockerfile: 'FROM scratch\nENV e=\nLABEL a=${e+w} b=${u+w}',
    expected: { a: 'w', b: '' },
  },
  {
    title: 'escaped dollar stays literal',
    buildah: true,
    dockerfile: 'FROM scratch\nENV v=x\nLABEL a=\\$v b=\\${v}',
    expected: { a: '$v', b: '${v}' },
  },
  {
    title: 'single quotes keep $ literal, double quotes expand and keep spaces',
    buildah: true,
    dockerfile: 'FROM scratch\nENV v=x\nLABEL q=\'$v\' d="$v and  $v"',
    expected: { q: '$v', d: 'x and  x' },
  },
  {
    title: 'ENV on one line sees the old value; the next line the new one',
    buildah: true,
    dockerfile: 'FROM scratch\nENV X=old\nENV X=new Y=$X\nLABEL x=$X y=$Y',
    expected: { x: 'new', y: 'old' },
  },
  { title: 'ENV on one line with no old value', dockerfile: 'FROM scratch\nENV a=1 b=$a\nLABEL b=$b', expected: { b: '' } },
  {
    title: 'ARG names on one line are defined in turn (BuildKit; buildah 1.28 gives b empty)',
    dockerfile: 'FROM scratch\nARG a=1 b=$a\nLABEL a=$a b=$b',
    expected: { a: '1', b: '1' },
  },
  {
    title: 'an ARG is visible from its declaration on',
    buildah: true,
    dockerfile: 'FROM scratch\nLABEL before=$A\nARG A=1\nLABEL after=$A',
    expected: { before: '', after: '1' },
  },
  {
    title: 'ARG before FROM is not visible in the stage',
    buildah: true,
    dockerfile: 'ARG V=1\nFROM scratch\nLABEL v=$V',
    expected: { v: '' },
  },
  {
    title: 'ARG before FROM, re-declared without value, gives its default',
    buildah: true,
    dockerfile: 'ARG V=1\nFROM scratch\nARG V\nLABEL v=$V',
    expected: { v: '1' },
  },
  {
    title: 'global ARG with --build-arg, re-declared in the stage',
    buildah: true,
    dockerfile: 'ARG V=1\nFROM scratch\nARG V\nLABEL v=$V',
    options: { buildArgs: { V: '2' } },
    expected: { v: '2' },
  },
  {
    title: 'a global ARG default may use an earlier global ARG',
    buildah: true,
    dockerfile: 'ARG REG=example.com\nARG IMAGE=${REG}/base\nFROM scratch\nARG IMAGE\nLABEL i=$IMAGE',
    expected: { i: 'example.com/base' },
  },
  {
    title: '--build-arg overrides a stage ARG default',
    buildah: true,
    dockerfile: 'FROM scratch\nARG A=default\nLABEL a=$A',
    options: { buildArgs: { A: 'given' } },
    expected: { a: 'given' },
  },
  {
    title: '--build-arg for an undeclared name changes nothing',
    buildah: true,
    dockerfile: 'FROM scratch\nLABEL a=$A',
    options: { buildArgs: { A: 'given' } },
    expected: { a: '' },
  },
  {
    title: 'ENV beats an earlier ARG of the same name, --build-arg or not',
    buildah: true,
    dockerfile: 'FROM scratch\nARG X=arg\nENV X=env\nLABEL x=$X',
    options: { buildArgs: { X: 'given' } },
    expected: { x: 'env' },
  },
  {
    title: 'ARG default from the ENV-then-ARG idiom ${X:-default}',
    buildah: true,
    dockerfile: 'FROM scratch\nARG X\nENV X=${X:-v1.0.0}\nLABEL x=$X',
    expected: { x: 'v1.0.0' },
  },
  {
    title: 'the idiom with --build-arg',
    buildah: true,
    dockerfile: 'FROM scratch\nARG X\nENV X=${X:-v1.0.0}\nLABEL x=$X',
    options: { buildArgs: { X: 'v2' } },
    expected: { x: 'v2' },
  },
  {
    title: 'an ARG declared after an ENV of the same name wins from there on (BuildKit; buildah 1.28 keeps the ENV)',
    dockerfile: 'FROM scratch\nENV X=env\nARG X=arg\nLABEL x=$X',
    expected: { x: 'arg' },
  },
  {
    title: 'default with a nested variable ${a:-$b}',
    buildah: true,
    dockerfile: 'FROM scratch\nENV b=B\nLABEL x=${a:-$b} y=${a:-${c:-deep}} z=${b:-$a}',
    expected: { x: 'B', y: 'deep', z: 'B' },
  },
  {
    title: 'ARG default uses the stage variables, not the global ones',
    buildah: true,
    dockerfile: 'ARG G=global\nFROM scratch\nENV E=env\nARG A=$G-$E\nLABEL a=$A',
    expected: { a: '-env' },
  },
  {
    title: 'platform ARGs after ARG TARGETARCH etc. in a stage',
    dockerfile:
      'FROM scratch\nLABEL before=$TARGETARCH\nARG TARGETARCH TARGETPLATFORM BUILDARCH TARGETVARIANT\nLABEL arch=$TARGETARCH platform=$TARGETPLATFORM build=$BUILDARCH variant=$TARGETVARIANT',
    options: { platform: arm64, buildPlatform: amd64 },
    expected: { before: '', arch: 'arm64', platform: 'linux/arm64', build: 'amd64', variant: '' },
  },
  {
    title: 'platform ARGs for arm/v7',
    dockerfile: 'FROM scratch\nARG TARGETPLATFORM TARGETVARIANT\nLABEL p=$TARGETPLATFORM v=$TARGETVARIANT',
    options: { platform: { os: 'linux', architecture: 'arm' } },
    expected: { p: 'linux/arm/v7', v: 'v7' },
  },
  {
    title: 'an ARG of one stage is not visible in the next',
    buildah: true,
    dockerfile: 'FROM scratch AS one\nARG A=1\nFROM scratch\nLABEL a=$A',
    expected: { a: '' },
  },
  {
    title: 'a stage built on a stage keeps its ENV and ARGs (BuildKit; buildah 1.28 drops the ARGs)',
    dockerfile: 'FROM scratch AS one\nARG A=1\nENV E=e\nFROM one\nLABEL a=$A e=$E',
    expected: { a: '1', e: 'e' },
  },
  {
    title: 'legacy ENV key value keeps the rest of the line, quotes processed',
    buildah: true,
    dockerfile: 'FROM scratch\nENV greeting hello   "big" world\nLABEL g=$greeting',
    expected: { g: 'hello   big world' },
  },
  {
    title: 'ENV key=value with quotes and escaped spaces',
    buildah: true,
    dockerfile: 'FROM scratch\nENV a="x y" b=z\\ w c=\'$a\'\nLABEL a=$a b=$b c=$c',
    expected: { a: 'x y', b: 'z w', c: '$a' },
  },
  {
    title: 'escape=` makes the backtick the escape in substitution too (BuildKit; buildah 1.28 keeps \\ there)',
    dockerfile: '# escape=`\nFROM scratch\nENV v=x\nLABEL a=`$v b=C:\\$v',
    expected: { a: '$v', b: 'C:\\x' },
  },
  {
    title: 'PATH defaults for scratch and can be extended',
    buildah: true,
    dockerfile: 'FROM scratch\nENV PATH=/opt/bin:$PATH\nLABEL p=$PATH',
    expected: { p: '/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
  },
  {
    title: "the base image's Env, when the builder provides it",
    dockerfile: 'FROM golang:1.22\nLABEL src=$GOPATH/src',
    options: { baseImage: () => ({ env: ['GOPATH=/go', 'PATH=/go/bin:/usr/bin'] }) },
    expected: { src: '/go/src' },
  },
  {
    title: 'LABEL keys are substituted too, and ${v#p} / ${v%p} trim',
    dockerfile: 'FROM scratch\nENV k=key f=archive.tar.gz\nLABEL $k=1 base=${f%%.*} ext=${f#*.}',
    expected: { key: '1', base: 'archive', ext: 'tar.gz' },
  },
];

describe('ARG/ENV substitution, case by case', () => {
  for (const c of cases) {
    it(c.title, () => assert.deepEqual(labels(parseDockerfile(c.dockerfile, c.options)), c.expected));
  }
});

describe('ARG/ENV substitution elsewhere', () => {
  it('FROM lines see the global ARGs and the platform ARGs', () => {
    const df = parseDockerfile(
      'ARG TAG=3.19\nARG REPO\nFROM --platform=$BUILDPLATFORM alpine:$TAG AS build\nFROM ${REPO:-busybox}:${TAG}',
      { buildPlatform: amd64, platform: arm64 },
    );
    assert.equal(df.stages[0]?.from.image, 'alpine:3.19');
    assert.deepEqual(df.stages[0]?.from.platform, amd64);
    assert.equal(df.stages[1]?.from.image, 'busybox:3.19');
  });

  it('--build-arg changes a global ARG used by FROM', () => {
    const df = parseDockerfile('ARG TAG=3.19\nFROM alpine:$TAG', { buildArgs: { TAG: 'edge' } });
    assert.equal(df.stages[0]?.from.image, 'alpine:edge');
    assert.deepEqual(df.globalArgs, [{ key: 'TAG', value: 'edge' }]);
  });

  it('substitutes COPY/ADD paths and flags, WORKDIR, USER, VOLUME, EXPOSE, STOPSIGNAL, but not RUN/CMD/ENTRYPOINT', () => {
    const df = parseDockerfile(
      [
        'FROM scratch',
        'ARG APP=app UID=1000 PORTS="80 443/udp" SIG=TERM MODE=640',
        'COPY --chown=$UID:$UID --chmod=$MODE ${APP}.js /srv/$APP/',
        'ADD --chown=$UID $APP.tgz /opt/',
        'WORKDIR /srv/$APP',
        'USER $UID',
        'VOLUME ["/data/$APP"] ',
        'EXPOSE $PORTS',
        'STOPSIGNAL SIG$SIG',
        'RUN echo $APP',
        'CMD echo $APP',
        'ENTRYPOINT ["echo", "$APP"]',
      ].join('\n'),
    );
    const [, copy, add, workdir, user, volume, expose, signal, run, cmd, entrypoint] = df.stages[0]?.instructions ?? [];
    assert.deepEqual(copy && copy.kind === 'COPY' && [copy.sources, copy.dest, copy.chown, copy.chmod], [
      ['app.js'],
      '/srv/app/',
      '1000:1000',
      '640',
    ]);
    assert.deepEqual(add && add.kind === 'ADD' && [add.sources, add.chown], [['app.tgz'], '1000']);
    assert.equal(workdir?.kind === 'WORKDIR' && workdir.path, '/srv/app');
    assert.equal(user?.kind === 'USER' && user.user, '1000');
    assert.deepEqual(volume?.kind === 'VOLUME' && volume.volumes, ['/data/app']);
    assert.deepEqual(expose?.kind === 'EXPOSE' && expose.ports, ['80/tcp', '443/udp']);
    assert.equal(signal?.kind === 'STOPSIGNAL' && signal.signal, 'SIGTERM');
    assert.deepEqual(run?.kind === 'RUN' && run.command, ['echo $APP']);
    assert.deepEqual(cmd?.kind === 'CMD' && cmd.command, ['echo $APP']);
    assert.deepEqual(entrypoint?.kind === 'ENTRYPOINT' && entrypoint.command, ['echo', '$APP']);
  });

  it("gives RUN the ARGs in scope as environment, and the history's |N K=V list", () => {
    const df = parseDockerfile('FROM scratch\nARG A=1\nARG NOVALUE\nENV E=e\nARG E\nRUN env');
    const run = df.stages[0]?.instructions.at(-1);
    assert.ok(run?.kind === 'RUN');
    assert.deepEqual(run.env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'A=1', 'E=e']);
    assert.deepEqual(run.argsInScope, [
      { key: 'A', value: '1' },
      { key: 'NOVALUE', value: '' },
      { key: 'E', value: 'e' },
    ]);
  });

  it('substitutes COPY heredocs unless the delimiter is quoted, keeping quotes in the body', () => {
    const df = parseDockerfile(
      'FROM scratch\nENV name=world\nCOPY <<EOF /hello\necho "hello $name"\nEOF\nCOPY <<"EOF" /raw\necho $name\nEOF\nCOPY <<-EOF /chomped\n\tindented $name\n\tEOF\n',
    );
    const inline = df.stages[0]?.instructions.flatMap((i) => (i.kind === 'COPY' ? i.inline : []));
    assert.deepEqual(inline, [
      { name: 'EOF', content: 'echo "hello world"\n' },
      { name: 'EOF', content: 'echo $name\n' },
      { name: 'EOF', content: 'indented world\n' },
    ]);
  });

  it('leaves RUN heredoc bodies to the shell', () => {
    const df = parseDockerfile('FROM scratch\nENV name=world\nRUN <<EOF\necho $name\nEOF\n');
    const run = df.stages[0]?.instructions[1];
    assert.deepEqual(run?.kind === 'RUN' && run.heredocs, [{ name: 'EOF', content: 'echo $name\n', chomp: false }]);
  });

  it('substitutes RUN mount values', () => {
    const df = parseDockerfile('FROM scratch\nARG CACHE=/root/.cache\nRUN --mount=type=cache,target=$CACHE,id=c-${CACHE} true');
    const run = df.stages[0]?.instructions[1];
    assert.deepEqual(run?.kind === 'RUN' && run.mounts, [
      { type: 'cache', readOnly: false, target: '/root/.cache', id: 'c-/root/.cache' },
    ]);
  });

  it('lists build args no ARG declares, and keeps proxy args apart for RUN', () => {
    const df = parseDockerfile('ARG G\nFROM scratch\nARG S', {
      buildArgs: { G: '1', S: '2', NOPE: '3', HTTP_PROXY: 'http://proxy:3128', TARGETARCH: 'arm64' },
    });
    assert.deepEqual(df.unusedBuildArgs, ['NOPE']);
    assert.deepEqual(df.proxyEnv, ['HTTP_PROXY=http://proxy:3128']);
  });
});

const buildahReady = existsSync('/usr/bin/buildah') && process.getuid?.() === 0;

describe('the same cases built by buildah', { skip: buildahReady ? false : 'needs /usr/bin/buildah and root' }, () => {
  it('gives the same labels for every case marked buildah', () => {
    const work = tempDir('stevedore-buildah-');
    const storage = ['--root', join(work, 'root'), '--runroot', join(work, 'runroot'), '--storage-driver', 'vfs'];
    for (const [n, c] of cases.entries()) {
      if (!c.buildah) continue;
      const dir = join(work, `case-${n}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'Dockerfile'), c.dockerfile);
      const buildArgs = Object.entries(c.options?.buildArgs ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
      execFileSync('buildah', [...storage, 'bud', '-q', '-t', `case-${n}`, ...buildArgs, dir], { stdio: 'pipe' });
      const inspected = JSON.parse(execFileSync('buildah', [...storage, 'inspect', `case-${n}`]).toString());
      const { 'io.buildah.version': _version, ...theirs } = inspected.OCIv1.config.Labels ?? {};
      assert.deepEqual(theirs, c.expected, c.title);
    }
  });
});
