import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Instruction } from './instructionTypes.js';
import { baseImages, type ParseOptions, parseDockerfile } from './parseDockerfile.js';

/** The instructions of a one-stage Dockerfile (FROM scratch + the lines given). */
function steps(lines: string, options?: ParseOptions): Instruction[] {
  return parseDockerfile(`FROM scratch\n${lines}`, options).stages[0]?.instructions ?? [];
}

function only(lines: string, options?: ParseOptions): Instruction {
  const [instruction] = steps(lines, options);
  assert.ok(instruction);
  const { line: _line, endLine: _endLine, original: _original, ...rest } = instruction;
  return rest as Instruction;
}

describe('parsing FROM', () => {
  it('reads an image, AS name (lower-cased), --platform, scratch and earlier stages', () => {
    const df = parseDockerfile(
      'FROM --platform=linux/arm64 alpine:3.19 as Build\nFROM scratch AS out\nFROM build\nFROM BUILD AS again\nFROM registry.example:5000/team/app@sha256:' +
        'a'.repeat(64),
    );
    assert.deepEqual(
      df.stages.map((s) => [s.name, s.base, s.from.platform]),
      [
        ['build', { kind: 'image', ref: 'alpine:3.19' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }],
        ['out', { kind: 'scratch' }, undefined],
        [undefined, { kind: 'stage', index: 0 }, undefined],
        ['again', { kind: 'stage', index: 0 }, undefined],
        [undefined, { kind: 'image', ref: `registry.example:5000/team/app@sha256:${'a'.repeat(64)}` }, undefined],
      ],
    );
    assert.deepEqual(
      df.stages.map((s) => [s.from.line, s.from.original]),
      [
        [1, 'FROM --platform=linux/arm64 alpine:3.19 as Build'],
        [2, 'FROM scratch AS out'],
        [3, 'FROM build'],
        [4, 'FROM BUILD AS again'],
        [5, `FROM registry.example:5000/team/app@sha256:${'a'.repeat(64)}`],
      ],
    );
  });

  it('a name used before its stage is defined is an image', () => {
    const df = parseDockerfile('FROM later\nFROM scratch AS later');
    assert.deepEqual(df.stages[0]?.base, { kind: 'image', ref: 'later' });
  });

  it('keeps line numbers and the original text of every instruction', () => {
    const df = parseDockerfile('FROM scratch\n\n# comment\nENV A=1 \\\n    B=2\nLABEL x=$A\n');
    assert.deepEqual(
      df.stages[0]?.instructions.map((i) => [i.line, i.endLine, i.original]),
      [
        [4, 5, 'ENV A=1     B=2'],
        [6, 6, 'LABEL x=$A'],
      ],
    );
  });
});

describe('parsing RUN, CMD and ENTRYPOINT', () => {
  it('tells the shell form from the exec form', () => {
    const [shell, exec, cmd, entry] = steps(
      'RUN echo "hi" && ls\nRUN ["echo", "hi"]\nCMD ["serve", "--port", "80"]\nENTRYPOINT /bin/run -x',
    );
    assert.deepEqual(shell?.kind === 'RUN' && [shell.form, shell.command], ['shell', ['echo "hi" && ls']]);
    assert.deepEqual(exec?.kind === 'RUN' && [exec.form, exec.command], ['exec', ['echo', 'hi']]);
    assert.deepEqual(cmd?.kind === 'CMD' && [cmd.form, cmd.command], ['exec', ['serve', '--port', '80']]);
    assert.deepEqual(entry?.kind === 'ENTRYPOINT' && [entry.form, entry.command], ['shell', ['/bin/run -x']]);
  });

  it('a shell test that starts with [ is the shell form', () => {
    assert.deepEqual(only('RUN [ -f /etc/passwd ] && echo yes'), {
      kind: 'RUN',
      form: 'shell',
      command: ['[ -f /etc/passwd ] && echo yes'],
      heredocs: [],
      mounts: [],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      argsInScope: [],
    });
  });

  it('reads --mount (cache, bind from a stage, tmpfs, secret), --network and --security', () => {
    const df = parseDockerfile(
      [
        'FROM scratch AS tools',
        'FROM scratch',
        'RUN --mount=type=cache,target=/root/.cache,sharing=locked,id=pip \\',
        '    --mount=type=bind,from=tools,source=/bin,target=/tools \\',
        '    --mount=type=tmpfs,target=/tmp,size=64m \\',
        '    --mount=type=secret,id=token,required \\',
        '    --network=none --security=insecure make',
      ].join('\n'),
    );
    const run = df.stages[1]?.instructions[0];
    assert.ok(run?.kind === 'RUN');
    assert.deepEqual(run.mounts, [
      { type: 'cache', readOnly: false, target: '/root/.cache', sharing: 'locked', id: 'pip' },
      { type: 'bind', readOnly: true, from: { kind: 'stage', index: 0 }, source: '/bin', target: '/tools' },
      { type: 'tmpfs', readOnly: false, target: '/tmp', size: 64 * 1024 * 1024 },
      { type: 'secret', readOnly: true, id: 'token', required: true },
    ]);
    assert.equal(run.network, 'none');
    assert.equal(run.security, 'insecure');
    assert.deepEqual(run.command, ['make']);
    assert.deepEqual(df.stages[1]?.dependencies, [0]);
  });

  it('keeps RUN heredocs: one, several, chomped', () => {
    const [one, two] = steps('RUN <<EOF\necho hi\nEOF\nRUN <<A cat - <<-B\na\nA\n\tb\n\tB\n');
    assert.deepEqual(one?.kind === 'RUN' && [one.command, one.heredocs], [
      ['<<EOF'],
      [{ name: 'EOF', content: 'echo hi\n', chomp: false }],
    ]);
    assert.deepEqual(two?.kind === 'RUN' && two.heredocs, [
      { name: 'A', content: 'a\n', chomp: false },
      { name: 'B', content: '\tb\n', chomp: true },
    ]);
  });

  it('accepts an empty exec form', () => {
    assert.deepEqual(only('ENTRYPOINT []'), { kind: 'ENTRYPOINT', form: 'exec', command: [] });
  });

  it('reads a bracketed line that is not valid JSON as the shell form, as BuildKit’s parseMaybeJSON falls back (issue 16)', () => {
    assert.deepEqual(only("CMD [ 'echo', 'hi' ]"), { kind: 'CMD', form: 'shell', command: ["[ 'echo', 'hi' ]"] });
    assert.deepEqual(only('ENTRYPOINT ["run", "-x"'), { kind: 'ENTRYPOINT', form: 'shell', command: ['["run", "-x"'] });
    const run = only('RUN ["a", "b",]');
    assert.equal(run.kind === 'RUN' && run.form, 'shell');
  });
});

describe('parsing COPY and ADD', () => {
  it('reads sources, destination and flags', () => {
    const df = parseDockerfile(
      'FROM scratch AS build\nFROM scratch\nCOPY --from=build --chown=app:app --chmod=0755 --link a b* /dst/\nCOPY --from=0 x /y\nCOPY --from=busybox:1.36 /bin/sh /sh\n',
    );
    const [copy, byIndex, image] = df.stages[1]?.instructions ?? [];
    assert.deepEqual(copy?.kind === 'COPY' && [copy.sources, copy.dest, copy.from, copy.chown, copy.chmod, copy.link], [
      ['a', 'b*'],
      '/dst/',
      { kind: 'stage', index: 0 },
      'app:app',
      '0755',
      true,
    ]);
    assert.deepEqual(byIndex?.kind === 'COPY' && byIndex.from, { kind: 'stage', index: 0 });
    assert.deepEqual(image?.kind === 'COPY' && image.from, { kind: 'image', ref: 'busybox:1.36' });
    assert.deepEqual(df.stages[1]?.imageSources, ['busybox:1.36']);
  });

  it('an empty --from= or --platform= means none, as in Docker', () => {
    const df = parseDockerfile('FROM --platform= scratch\nCOPY --from= a b');
    assert.equal(df.stages[0]?.from.platform, undefined);
    const copy = df.stages[0]?.instructions[0];
    assert.equal(copy?.kind === 'COPY' && copy.from, undefined);
  });

  it('reads the JSON form, whose paths may hold spaces', () => {
    const copy = only('COPY ["my file", "other file", "/dest dir/"]');
    assert.deepEqual(copy.kind === 'COPY' && [copy.sources, copy.dest], [['my file', 'other file'], '/dest dir/']);
  });

  it('reads COPY <<EOF /dest and several heredocs mixed with paths', () => {
    const copy = only('COPY file <<one <<two /dest/\nfirst\none\nsecond\ntwo\n');
    assert.deepEqual(copy.kind === 'COPY' && [copy.sources, copy.inline, copy.dest], [
      ['file'],
      [
        { name: 'one', content: 'first\n' },
        { name: 'two', content: 'second\n' },
      ],
      '/dest/',
    ]);
  });

  it('reads ADD flags', () => {
    const add = only('ADD --keep-git-dir=true --checksum=sha256:abc --chmod=644 https://example.com/a.tgz /opt/');
    assert.deepEqual(add.kind === 'ADD' && [add.sources, add.dest, add.keepGitDir, add.checksum, add.chmod, add.link], [
      ['https://example.com/a.tgz'],
      '/opt/',
      true,
      'sha256:abc',
      '644',
      false,
    ]);
  });
});

describe('parsing the metadata instructions', () => {
  it('ENV in both forms, several pairs, quotes', () => {
    assert.deepEqual(only('ENV A=1 B="two words" C=three\\ words'), {
      kind: 'ENV',
      pairs: [
        { key: 'A', value: '1' },
        { key: 'B', value: 'two words' },
        { key: 'C', value: 'three words' },
      ],
    });
    assert.deepEqual(only('ENV LEGACY the rest of the line'), {
      kind: 'ENV',
      pairs: [{ key: 'LEGACY', value: 'the rest of the line' }],
    });
  });

  it('ARG with and without defaults, several on a line', () => {
    assert.deepEqual(only('ARG A B=2 C='), {
      kind: 'ARG',
      args: [{ key: 'A' }, { key: 'B', value: '2' }, { key: 'C', value: '' }],
    });
  });

  it('LABEL in both forms', () => {
    assert.deepEqual(only('LABEL org.opencontainers.image.title="My app" version=1'), {
      kind: 'LABEL',
      pairs: [
        { key: 'org.opencontainers.image.title', value: 'My app' },
        { key: 'version', value: '1' },
      ],
    });
    assert.deepEqual(only('LABEL description some text'), { kind: 'LABEL', pairs: [{ key: 'description', value: 'some text' }] });
  });

  it('WORKDIR, USER, STOPSIGNAL and MAINTAINER take the rest of the line', () => {
    assert.deepEqual(only('WORKDIR /srv/my app'), { kind: 'WORKDIR', path: '/srv/my app' });
    assert.deepEqual(only('USER app:staff'), { kind: 'USER', user: 'app:staff' });
    assert.deepEqual(only('STOPSIGNAL SIGRTMIN+3'), { kind: 'STOPSIGNAL', signal: 'SIGRTMIN+3' });
    assert.deepEqual(only('STOPSIGNAL 9'), { kind: 'STOPSIGNAL', signal: '9' });
    assert.deepEqual(only('MAINTAINER Jane <jane@example.com>'), { kind: 'MAINTAINER', maintainer: 'Jane <jane@example.com>' });
  });

  it('EXPOSE ports, protocols and ranges', () => {
    assert.deepEqual(only('EXPOSE 8080 53/UDP 9000-9002/tcp'), {
      kind: 'EXPOSE',
      ports: ['53/udp', '8080/tcp', '9000/tcp', '9001/tcp', '9002/tcp'],
    });
  });

  it('VOLUME as JSON or words', () => {
    assert.deepEqual(only('VOLUME ["/data", "/var/log"]'), { kind: 'VOLUME', volumes: ['/data', '/var/log'] });
    assert.deepEqual(only('VOLUME /data /cache'), { kind: 'VOLUME', volumes: ['/data', '/cache'] });
  });

  it('SHELL as JSON', () => {
    assert.deepEqual(only('SHELL ["/bin/bash", "-o", "pipefail", "-c"]'), {
      kind: 'SHELL',
      shell: ['/bin/bash', '-o', 'pipefail', '-c'],
    });
  });

  it('HEALTHCHECK NONE, CMD in both forms, and its flags', () => {
    const zero = { interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0 };
    assert.deepEqual(only('HEALTHCHECK NONE'), { kind: 'HEALTHCHECK', test: ['NONE'], ...zero });
    assert.deepEqual(only('HEALTHCHECK CMD curl -f http://localhost/ || exit 1'), {
      kind: 'HEALTHCHECK',
      test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
      ...zero,
    });
    assert.deepEqual(
      only('HEALTHCHECK --interval=1m30s --timeout=3s --start-period=500ms --start-interval=2s --retries=5 cmd ["/ok"]'),
      {
        kind: 'HEALTHCHECK',
        test: ['CMD', '/ok'],
        interval: 90e9,
        timeout: 3e9,
        startPeriod: 500e6,
        startInterval: 2e9,
        retries: 5,
      },
    );
  });

  it('ONBUILD keeps its trigger as text, heredoc bodies included', () => {
    assert.deepEqual(only('ONBUILD COPY . /app'), { kind: 'ONBUILD', expression: 'COPY . /app' });
    assert.deepEqual(only('onbuild RUN <<EOF\necho $HOME\nEOF\n'), { kind: 'ONBUILD', expression: 'RUN <<EOF\necho $HOME\nEOF' });
  });

  it('instruction words are case-insensitive', () => {
    assert.deepEqual(only('env a=1'), { kind: 'ENV', pairs: [{ key: 'a', value: '1' }] });
  });
});

describe('ONBUILD triggers of the base', () => {
  it("runs an image's triggers right after FROM, substituted in the child", () => {
    const df = parseDockerfile('FROM base\nENV AFTER=1', {
      baseImage: (ref) => (ref === 'base' ? { env: ['APP=/app'], onBuild: ['WORKDIR $APP', 'COPY . $APP/'] } : undefined),
    });
    assert.deepEqual(
      df.stages[0]?.instructions.map((i) => [i.kind, i.line, i.onBuild ?? false]),
      [
        ['WORKDIR', 1, true],
        ['COPY', 1, true],
        ['ENV', 2, false],
      ],
    );
    const copy = df.stages[0]?.instructions[1];
    assert.deepEqual(copy?.kind === 'COPY' && [copy.sources, copy.dest], [['.'], '/app/']);
  });

  it("runs a base stage's ONBUILD instructions in the stage built on it", () => {
    const df = parseDockerfile('FROM scratch AS base\nONBUILD ENV FROM_TRIGGER=yes\nFROM base\nLABEL seen=$FROM_TRIGGER');
    const child = df.stages[1]?.instructions;
    assert.deepEqual(
      child?.map((i) => i.kind),
      ['ENV', 'LABEL'],
    );
    assert.deepEqual(child?.[1]?.kind === 'LABEL' && child[1].pairs, [{ key: 'seen', value: 'yes' }]);
  });

  it('refuses a base whose trigger is FROM, naming the FROM line', () => {
    assert.throws(
      () => parseDockerfile('FROM scratch\nFROM base', { baseImage: () => ({ onBuild: ['FROM x'] }) }),
      /Dockerfile line 2: FROM: ONBUILD trigger "FROM x" of the base: FROM isn't allowed as an ONBUILD trigger/,
    );
  });
});

describe('a Dockerfile written with tabs and the legacy forms', () => {
  it('reads tab separators and keeps the tabs of continued lines as Docker does', () => {
    const text = [
      'FROM\tubuntu:14.04',
      'LABEL\tmaintainer\tJane Doe <jane@example.com> (@jane)',
      'RUN\tapt-get update && apt-get install -yq \\',
      '\tcurl \\',
      '\t--no-install-recommends',
      'ENV\tGOPATH\t/go',
      'ENV\tPLATFORMS\t\\',
      '\tlinux/386 linux/arm \\',
      '\tdarwin/amd64',
      'ENTRYPOINT\t["hack/dind"]',
      'COPY\t.\t/go/src/app',
    ].join('\n');
    const [label, run, env, platforms, entrypoint, copy] = parseDockerfile(text).stages[0]?.instructions ?? [];
    assert.deepEqual(label?.kind === 'LABEL' && label.pairs, [
      { key: 'maintainer', value: 'Jane Doe <jane@example.com> (@jane)' },
    ]);
    assert.deepEqual(run?.kind === 'RUN' && run.command, [
      'apt-get update && apt-get install -yq \tcurl \t--no-install-recommends',
    ]);
    assert.deepEqual(env?.kind === 'ENV' && env.pairs, [{ key: 'GOPATH', value: '/go' }]);
    assert.deepEqual(platforms?.kind === 'ENV' && platforms.pairs, [
      { key: 'PLATFORMS', value: 'linux/386 linux/arm \tdarwin/amd64' },
    ]);
    assert.deepEqual(entrypoint?.kind === 'ENTRYPOINT' && entrypoint.command, ['hack/dind']);
    assert.deepEqual(copy?.kind === 'COPY' && [copy.sources, copy.dest], [['.'], '/go/src/app']);
  });
});

describe('baseImages', () => {
  it('resolves ARGs in FROM, --build-arg over the default, and names each image once', () => {
    const text = 'ARG BASE=alpine\nARG TAG=3.19\nFROM $BASE:$TAG AS a\nFROM $BASE:$TAG\nCOPY --from=a /x /x\n';
    assert.deepEqual(baseImages(text), ['alpine:3.19']);
    assert.deepEqual(baseImages(text, { buildArgs: { TAG: '3.20' } }), ['alpine:3.20']);
  });

  it('leaves out the stages --target does not need, and scratch and stage bases', () => {
    const text = [
      'FROM golang:1.22 AS build',
      'FROM node:20 AS web',
      'FROM build AS test',
      'FROM scratch AS out',
      'COPY --from=test /bin/app /app',
    ].join('\n');
    assert.deepEqual(baseImages(text), ['golang:1.22']);
    assert.deepEqual(baseImages(text, { target: 'web' }), ['node:20']);
  });

  it('names the images copied or mounted from, after the bases', () => {
    const text = [
      'FROM debian:12 AS unused',
      'COPY --from=busybox:1.35 /bin/sh /sh',
      'FROM alpine:3.19',
      'COPY --from=busybox:1.36 /bin/busybox /bin/',
      'RUN --mount=type=bind,from=tools:1,target=/t true',
    ].join('\n');
    assert.deepEqual(baseImages(text), ['alpine:3.19', 'busybox:1.36', 'tools:1']);
  });

  it('evaluates no instruction: a substitution that needs the base image’s Env is no error', () => {
    const text = 'FROM golang\nWORKDIR $GOPATH\n';
    assert.deepEqual(baseImages(text), ['golang']);
    assert.throws(() => parseDockerfile(text), /WORKDIR: the path is empty after substitution/);
    const df = parseDockerfile(text, { baseImage: () => ({ env: ['GOPATH=/go'] }) });
    const workdir = df.stages[0]?.instructions[0];
    assert.equal(workdir?.kind === 'WORKDIR' && workdir.path, '/go');
  });

  it('counts what the base images’ ONBUILD triggers copy from, when told the triggers', () => {
    const text = 'FROM scratch AS assets\nFROM app-base:1\n';
    assert.deepEqual(baseImages(text), ['app-base:1']);
    const baseImage = (ref: string) => (ref === 'app-base:1' ? { onBuild: ['COPY --from=tools:2 /t /t'] } : undefined);
    assert.deepEqual(baseImages(text, { baseImage }), ['app-base:1', 'tools:2']);
  });
});
