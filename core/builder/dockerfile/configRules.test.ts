import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyInstruction,
  beginStage,
  commandArgs,
  type HistoryLine,
  type RunConfig,
  resolveWorkdir,
  runInvocation,
  type StageImage,
} from './configRules.js';
import { formatGoDuration, parseGoDuration } from './goDuration.js';
import { goQuote, goQuoteRune } from './goFormat.js';
import type { Instruction } from './instructionTypes.js';
import { type ParseOptions, parseDockerfile } from './parseDockerfile.js';

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Builds the last stage's config the way the builder will: beginStage, then each instruction. */
function build(dockerfile: string, base?: { config?: RunConfig }, options?: ParseOptions) {
  const df = parseDockerfile(dockerfile, options);
  let stage: StageImage = beginStage(base);
  const history: HistoryLine[] = [];
  const stageIndex = df.stages.length - 1;
  for (const instruction of df.stages[stageIndex]?.instructions ?? []) {
    const result = applyInstruction(stage, instruction);
    stage = result.stage;
    if (result.history) history.push(result.history);
  }
  return { stage, history, created: history.map((h) => h.created_by) };
}

const only = (line: string): Instruction => {
  const i = parseDockerfile(`FROM scratch\n${line}`).stages[0]?.instructions[0];
  assert.ok(i);
  return i;
};

describe('shell form and exec form', () => {
  it('shell form runs SHELL (default /bin/sh -c) with the whole line; exec form as written', () => {
    assert.deepEqual(commandArgs('shell', ['echo $HOME']), ['/bin/sh', '-c', 'echo $HOME']);
    assert.deepEqual(commandArgs('exec', ['echo', '$HOME']), ['echo', '$HOME']);
    assert.deepEqual(commandArgs('shell', ['Get-Date'], ['pwsh', '-Command']), ['pwsh', '-Command', 'Get-Date']);
  });

  it('SHELL changes later shell-form CMD, ENTRYPOINT and RUN', () => {
    const { stage, created } = build('FROM scratch\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN a | b\nCMD serve');
    assert.deepEqual(stage.config.Cmd, ['/bin/bash', '-eo', 'pipefail', '-c', 'serve']);
    assert.deepEqual(created, [
      'SHELL [/bin/bash -eo pipefail -c]',
      'RUN /bin/bash -eo pipefail -c a | b # buildkit',
      'CMD ["/bin/bash" "-eo" "pipefail" "-c" "serve"]',
    ]);
  });
});

describe('CMD and ENTRYPOINT', () => {
  const inherited = { config: { Cmd: ['/bin/sh'], Entrypoint: null } };

  it('ENTRYPOINT resets a CMD inherited from the base', () => {
    const { stage } = build('FROM base\nENTRYPOINT ["/entry"]', inherited);
    assert.deepEqual(stage.config.Entrypoint, ['/entry']);
    // BuildKit's Cmd is a nil slice then, which its JSON omits (`omitempty`): no `"Cmd": null`.
    assert.equal('Cmd' in stage.config, false);
  });

  it('but not a CMD set earlier in the same stage, nor one set after it', () => {
    assert.deepEqual(build('FROM base\nCMD ["x"]\nENTRYPOINT ["/entry"]', inherited).stage.config.Cmd, ['x']);
    assert.deepEqual(build('FROM base\nENTRYPOINT ["/entry"]\nCMD ["y"]', inherited).stage.config.Cmd, ['y']);
  });

  it('a stage built on a stage starts afresh: its ENTRYPOINT resets the CMD the parent set', () => {
    const df = parseDockerfile('FROM scratch AS parent\nCMD ["x"]\nFROM parent\nENTRYPOINT ["/e"]');
    let parent = beginStage();
    for (const i of df.stages[0]?.instructions ?? []) parent = applyInstruction(parent, i).stage;
    let child = beginStage({ config: parent.config });
    for (const i of df.stages[1]?.instructions ?? []) child = applyInstruction(child, i).stage;
    assert.equal('Cmd' in child.config, false);
  });

  it('ENTRYPOINT [] clears the entrypoint', () => {
    const { stage, created } = build('FROM base\nENTRYPOINT []', { config: { Entrypoint: ['/old'] } });
    assert.equal('Entrypoint' in stage.config, false, 'omitted, as BuildKit’s JSON omits an empty slice');
    assert.deepEqual(created, ['ENTRYPOINT []']);
  });

  // Docker's table: what runs for each ENTRYPOINT/CMD combination.
  const table: [string, string | undefined, string[] | undefined][] = [
    ['', '', undefined],
    ['', 'CMD ["exec_cmd", "p1_cmd"]', ['exec_cmd', 'p1_cmd']],
    ['', 'CMD exec_cmd p1_cmd', ['/bin/sh', '-c', 'exec_cmd p1_cmd']],
    ['ENTRYPOINT exec_entry p1_entry', '', ['/bin/sh', '-c', 'exec_entry p1_entry']],
    [
      'ENTRYPOINT exec_entry p1_entry',
      'CMD ["exec_cmd", "p1_cmd"]',
      ['/bin/sh', '-c', 'exec_entry p1_entry', 'exec_cmd', 'p1_cmd'],
    ],
    [
      'ENTRYPOINT exec_entry p1_entry',
      'CMD exec_cmd p1_cmd',
      ['/bin/sh', '-c', 'exec_entry p1_entry', '/bin/sh', '-c', 'exec_cmd p1_cmd'],
    ],
    ['ENTRYPOINT ["exec_entry", "p1_entry"]', '', ['exec_entry', 'p1_entry']],
    ['ENTRYPOINT ["exec_entry", "p1_entry"]', 'CMD ["exec_cmd", "p1_cmd"]', ['exec_entry', 'p1_entry', 'exec_cmd', 'p1_cmd']],
    [
      'ENTRYPOINT ["exec_entry", "p1_entry"]',
      'CMD exec_cmd p1_cmd',
      ['exec_entry', 'p1_entry', '/bin/sh', '-c', 'exec_cmd p1_cmd'],
    ],
  ];
  for (const [entrypoint, cmd, expected] of table) {
    it(`${entrypoint || 'no ENTRYPOINT'} + ${cmd || 'no CMD'}`, () => {
      const { stage } = build(['FROM scratch', cmd, entrypoint].filter(Boolean).join('\n'));
      const argv = [...(stage.config.Entrypoint ?? []), ...(stage.config.Cmd ?? [])];
      assert.deepEqual(argv.length > 0 ? argv : undefined, expected);
    });
  }
});

describe('history as BuildKit writes it', () => {
  it('writes created_by and empty_layer for every kind of instruction', () => {
    const { history, stage } = build(
      [
        'FROM scratch',
        'MAINTAINER Jane <jane@example.com>',
        'ARG VERSION=1.0 EMPTY',
        'ENV APP=/app MODE="prod mode"',
        'LABEL version=$VERSION',
        'WORKDIR $APP',
        'WORKDIR src/../bin',
        'COPY --chown=1000:1000 --chmod=640 --link a.txt b/ ./',
        'ADD https://example.com/x.tgz /opt/',
        'COPY <<EOF /etc/motd',
        'hello',
        'EOF',
        'RUN echo hi',
        'RUN ["ls", "-l"]',
        'USER 1000:1000',
        'EXPOSE 443 80/tcp',
        'VOLUME /data /logs',
        'STOPSIGNAL SIGQUIT',
        'HEALTHCHECK --interval=5m --timeout=3s --retries=3 CMD curl -f http://localhost/ || exit 1',
        'ONBUILD RUN echo child',
        'ENTRYPOINT ["/app/bin/run"]',
        'CMD serve --fast',
      ].join('\n'),
    );
    const lines = history.map((h) => `${h.empty_layer ? 'empty ' : 'layer '}${h.created_by}`);
    assert.deepEqual(lines, [
      'empty MAINTAINER Jane <jane@example.com>',
      'empty ARG VERSION=1.0 EMPTY',
      'empty ENV APP=/app MODE=prod mode',
      'empty LABEL version=1.0',
      'layer WORKDIR /app',
      'layer WORKDIR /app/bin',
      'layer COPY --chown=1000:1000 --chmod=640 a.txt b/ ./ # buildkit',
      'layer ADD https://example.com/x.tgz /opt/ # buildkit',
      'layer COPY <<EOF /etc/motd # buildkit',
      'layer RUN |2 VERSION=1.0 EMPTY= /bin/sh -c echo hi # buildkit',
      'layer RUN |2 VERSION=1.0 EMPTY= ls -l # buildkit',
      'empty USER 1000:1000',
      'empty EXPOSE [443/tcp 80/tcp]',
      'empty VOLUME [/data /logs]',
      'empty STOPSIGNAL SIGQUIT',
      `empty HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "5m0s" "3s" "0s" "0s" '\\x03'}`,
      'empty ENTRYPOINT ["/app/bin/run"]',
      'empty CMD ["/bin/sh" "-c" "serve --fast"]',
    ]);
    assert.ok(history.every((h) => h.comment === 'buildkit.dockerfile.v0'));
    assert.equal(stage.author, 'Jane <jane@example.com>');
    assert.deepEqual(stage.config, {
      Env: [PATH, 'APP=/app', 'MODE=prod mode'],
      Labels: { version: '1.0' },
      WorkingDir: '/app/bin',
      User: '1000:1000',
      ExposedPorts: { '443/tcp': {}, '80/tcp': {} },
      Volumes: { '/data': {}, '/logs': {} },
      StopSignal: 'SIGQUIT',
      Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], Interval: 300e9, Timeout: 3e9, Retries: 3 },
      OnBuild: ['RUN echo child'],
      Entrypoint: ['/app/bin/run'],
      Cmd: ['/bin/sh', '-c', 'serve --fast'],
      ArgsEscaped: true,
    });
  });

  it('HEALTHCHECK NONE', () => {
    const { history, stage } = build('FROM scratch\nHEALTHCHECK NONE');
    assert.deepEqual(stage.config.Healthcheck, { Test: ['NONE'] });
    assert.equal(history[0]?.created_by, `HEALTHCHECK &{["NONE"] "0s" "0s" "0s" "0s" '\\x00'}`);
  });

  it('RUN history shows the value an ENV gave an ARG', () => {
    assert.deepEqual(
      build('FROM scratch\nARG A=arg\nENV A=env\nRUN true').created.at(-1),
      'RUN |1 A=env /bin/sh -c true # buildkit',
    );
  });

  it('WORKDIR / makes no layer', () => {
    const { history } = build('FROM scratch\nWORKDIR /');
    assert.deepEqual(history, [{ created_by: 'WORKDIR /', comment: 'buildkit.dockerfile.v0', empty_layer: true }]);
  });
});

describe('config rules', () => {
  it('a stage starts from its base config, PATH defaulted, the base’s ONBUILD consumed', () => {
    assert.deepEqual(beginStage().config, { Env: [PATH] });
    const base = { config: { Env: ['PATH=/bin', 'HOME=/root'], OnBuild: ['RUN x'], Cmd: ['sh'] }, author: 'someone' };
    const stage = beginStage(base);
    assert.deepEqual(stage, {
      config: { Env: ['PATH=/bin', 'HOME=/root'], Cmd: ['sh'] },
      author: 'someone',
      cmdSetInStage: false,
    });
    assert.deepEqual(base.config.OnBuild, ['RUN x']);
  });

  it('ENV replaces a variable in place and appends new ones', () => {
    const { stage } = build('FROM base\nENV HOME=/home/app NEW=1', { config: { Env: ['PATH=/bin', 'HOME=/root', 'LANG=C'] } });
    assert.deepEqual(stage.config.Env, ['PATH=/bin', 'HOME=/home/app', 'LANG=C', 'NEW=1']);
  });

  it('WORKDIR is relative to the previous one and cleaned', () => {
    assert.equal(resolveWorkdir(undefined, 'app'), '/app');
    assert.equal(resolveWorkdir('/srv', 'app/../web/'), '/srv/web');
    assert.equal(resolveWorkdir('/srv', '/opt//x/.'), '/opt/x');
    assert.equal(resolveWorkdir('/', '..'), '/');
  });

  it('runs RUN heredocs as BuildKit does', () => {
    const run = (text: string) => {
      const i = only(text);
      assert.ok(i.kind === 'RUN');
      return runInvocation(i);
    };
    assert.deepEqual(run('RUN <<EOF\necho a\necho b\nEOF'), { args: ['/bin/sh', '-c', 'echo a\necho b\n'], scripts: [] });
    assert.deepEqual(run('RUN <<-EOF\n\techo a\n\tEOF'), { args: ['/bin/sh', '-c', 'echo a\n'], scripts: [] });
    assert.deepEqual(run('RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF'), {
      args: ['/bin/sh', '-c', '/dev/pipes/EOF'],
      scripts: [{ path: '/dev/pipes/EOF', content: '#!/usr/bin/env python3\nprint(1)\n', mode: 0o755 }],
    });
    assert.deepEqual(run('RUN python3 <<EOF > /out\nprint(1)\nEOF'), {
      args: ['/bin/sh', '-c', 'python3 <<EOF > /out\nprint(1)\nEOF'],
      scripts: [],
    });
    assert.deepEqual(run('RUN cat <<A <<B\na\nA\nb\nB'), { args: ['/bin/sh', '-c', 'cat <<A <<B\na\nA\nb\nB'], scripts: [] });
  });
});

describe("Go's formatting", () => {
  it('prints durations as Go does', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [500, '500ns'],
      [1_500, '1.5µs'],
      [300e6, '300ms'],
      [1.5e9, '1.5s'],
      [30e9, '30s'],
      [90e9, '1m30s'],
      [3600e9, '1h0m0s'],
      [3723.5e9, '1h2m3.5s'],
    ];
    for (const [nanos, text] of cases) assert.equal(formatGoDuration(nanos), text);
  });

  it('reads durations as Go does', () => {
    assert.equal(parseGoDuration('1m30s'), 90e9);
    assert.equal(parseGoDuration('1.5h'), 5400e9);
    assert.equal(parseGoDuration('250ms'), 250e6);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('30'), undefined);
    assert.equal(parseGoDuration('soon'), undefined);
  });

  it('quotes strings and runes as Go does', () => {
    assert.equal(goQuote('say "hi"\n\ttab\\ é \x01'), '"say \\"hi\\"\\n\\ttab\\\\ é \\x01"');
    assert.deepEqual([0, 3, 7, 9, 65].map(goQuoteRune), ["'\\x00'", "'\\x03'", "'\\a'", "'\\t'", "'A'"]);
  });
});
