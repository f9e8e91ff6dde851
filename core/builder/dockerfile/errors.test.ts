// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dockerfile text, where ${…} is the syntax under test
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStevedoreError } from '../../errors.js';
import { type ParseOptions, parseDockerfile } from './parseDockerfile.js';

/** Each mistake, the line it is on, and the sentence that names it. */
const mistakes: [string, string, string | RegExp, ParseOptions?][] = [
  [
    'unknown instruction, with a suggestion',
    'FROM scratch\nCOPPY a b',
    'Dockerfile line 2: COPPY: unknown instruction (did you mean COPY?)',
  ],
  ['unknown instruction far from any', 'FROM scratch\n\nFROBNICATE x', 'Dockerfile line 3: FROBNICATE: unknown instruction'],
  [
    'an instruction before FROM',
    '# hi\nRUN echo\nFROM scratch',
    /^Dockerfile line 2: RUN: no build stage yet: a Dockerfile must start with FROM/,
  ],
  ['no FROM at all', 'ARG A=1', 'Dockerfile: no FROM instruction: there is no stage to build'],
  ['an empty file', '\n# only a comment\n', 'Dockerfile: file with no instructions'],
  ['FROM without an image', 'FROM', 'Dockerfile line 1: FROM: requires either one or three arguments: FROM image [AS name]'],
  [
    'FROM with a bad AS',
    'FROM alpine AS',
    'Dockerfile line 1: FROM: requires either one or three arguments: FROM image [AS name]',
  ],
  ['a stage name that is not one', 'FROM alpine AS 1st', /line 1: FROM: invalid name for build stage: "1st"/],
  [
    'a stage name reused',
    'FROM alpine AS a\nRUN x\nFROM busybox AS A',
    'Dockerfile line 3: FROM: duplicate stage name "a" (already used by the stage at line 1)',
  ],
  [
    'a FROM that substitutes to nothing',
    'ARG IMAGE\nFROM $IMAGE',
    'Dockerfile line 2: FROM: base name ($IMAGE) should not be blank',
  ],
  ['an invalid image reference', 'FROM Alpine:3', /^Dockerfile line 1: FROM: invalid reference "Alpine:3"/],
  ['a bad --platform', 'FROM --platform=linux alpine', /^Dockerfile line 1: FROM: --platform=linux: invalid platform/],
  [
    'a flag the instruction does not take',
    'FROM scratch\nCOPY --form=a b c',
    /^Dockerfile line 2: COPY: unknown flag --form \(it takes --from, --chown, --chmod, --link\)/,
  ],
  [
    'a flag on an instruction without flags',
    'FROM scratch\nCMD --help',
    'Dockerfile line 2: CMD: unknown flag --help (it takes no flags)',
  ],
  ['a string flag without value', 'FROM scratch\nCOPY --from a b', 'Dockerfile line 2: COPY: missing a value on flag: --from'],
  ['a repeated flag', 'FROM scratch\nCOPY --chown=1 --chown=2 a b', 'Dockerfile line 2: COPY: duplicate flag specified: --chown'],
  [
    'a bad bool flag',
    'FROM scratch\nCOPY --link=yes a b',
    'Dockerfile line 2: COPY: expecting boolean value for flag --link, not: yes',
  ],
  [
    'COPY with one argument',
    'FROM scratch\nCOPY onlyone',
    /^Dockerfile line 2: COPY: requires at least two arguments, but only one was provided/,
  ],
  ['ENV without a value', 'FROM scratch\nENV ALONE', /^Dockerfile line 2: ENV: must have two arguments/],
  ['ENV mixing forms', 'FROM scratch\nENV A=1 B', /^Dockerfile line 2: ENV: syntax error - can't find = in "B"/],
  ['ENV with nothing', 'FROM scratch\nENV', 'Dockerfile line 2: ENV: requires at least one argument'],
  ['ARG with a blank name', 'FROM scratch\nARG =1', 'Dockerfile line 2: ARG: names can not be blank'],
  ['WORKDIR without a path', 'FROM scratch\nWORKDIR', 'Dockerfile line 2: WORKDIR: requires exactly one argument'],
  [
    'RUN with nothing',
    'FROM scratch\nRUN',
    'Dockerfile line 2: RUN: requires a command (shell form) or a JSON array (exec form)',
  ],
  [
    'exec form with a number',
    'FROM scratch\nCMD ["sleep", 5]',
    'Dockerfile line 2: CMD: when using JSON array syntax, arrays must be comprised of strings only',
  ],
  [
    'SHELL in shell form',
    'FROM scratch\nSHELL /bin/bash -c',
    /^Dockerfile line 2: SHELL: requires the arguments to be in JSON form/,
  ],
  [
    'unterminated heredoc',
    'FROM scratch\nRUN <<EOF\necho',
    'Dockerfile line 2: RUN: unterminated heredoc <<EOF (no line "EOF" before the end of the file)',
  ],
  [
    'a heredoc as COPY destination',
    'FROM scratch\nCOPY a <<EOF\nx\nEOF',
    'Dockerfile line 2: COPY: cannot accept a heredoc as a destination',
  ],
  [
    'a bad substitution',
    'FROM scratch\nWORKDIR ${dir',
    /^Dockerfile line 2: WORKDIR: failed to process "\$\{dir": syntax error: missing '}'/,
  ],
  [
    'a required variable unset',
    'FROM scratch\nARG V\nLABEL v=${V:?set_V_with_--build-arg}',
    /^Dockerfile line 3: LABEL: .*V: set_V_with_--build-arg/,
  ],
  ['a global ARG that fails', 'ARG A=${B:?}\nFROM scratch', /^Dockerfile line 1: ARG: .*B: is not allowed to be unset/],
  [
    'COPY --from a later stage',
    'FROM scratch AS a\nCOPY --from=b x y\nFROM scratch AS b',
    /^Dockerfile line 2: COPY: cannot use stage "b" from stage "a": it must be defined before/,
  ],
  ['COPY --from an index out of range', 'FROM scratch\nCOPY --from=3 x y', 'Dockerfile line 2: COPY: invalid stage index 3'],
  ['COPY --from itself', 'FROM scratch AS self\nCOPY --from=self x y', /^Dockerfile line 2: COPY: cannot use stage "self"/],
  [
    'a mount from a variable',
    'FROM scratch\nRUN --mount=from=$X,target=/x true',
    /^Dockerfile line 2: RUN: --mount=from=\$X,target=\/x: 'from' doesn't support variable expansion/,
  ],
  [
    'a mount of an unknown type',
    'FROM scratch\nRUN --mount=type=nfs,target=/x true',
    /^Dockerfile line 2: RUN: --mount=type=nfs,target=\/x: unsupported mount type "nfs"/,
  ],
  [
    'a cache mount without target',
    'FROM scratch\nRUN --mount=type=cache true',
    /^Dockerfile line 2: RUN: .*a cache mount needs a target/,
  ],
  ['an unknown network', 'FROM scratch\nRUN --network=bridge true', /^Dockerfile line 2: RUN: unsupported network mode "bridge"/],
  [
    'a bad --chmod',
    'FROM scratch\nCOPY --chmod=u+x a b',
    "Dockerfile line 2: COPY: invalid chmod parameter: 'u+x'. it should be octal string and between 0 and 07777",
  ],
  ['a bad port', 'FROM scratch\nEXPOSE 80/icmp', 'Dockerfile line 2: EXPOSE: invalid proto: icmp'],
  ['a port out of range', 'FROM scratch\nEXPOSE 70000', 'Dockerfile line 2: EXPOSE: invalid containerPort: 70000'],
  ['a bad signal', 'FROM scratch\nSTOPSIGNAL SIGNOPE', 'Dockerfile line 2: STOPSIGNAL: invalid signal "SIGNOPE"'],
  [
    'a HEALTHCHECK of an unknown type',
    'FROM scratch\nHEALTHCHECK PING x',
    'Dockerfile line 2: HEALTHCHECK: unknown type "PING" in HEALTHCHECK (try CMD)',
  ],
  [
    'a HEALTHCHECK without a command',
    'FROM scratch\nHEALTHCHECK CMD',
    'Dockerfile line 2: HEALTHCHECK: missing command after HEALTHCHECK CMD',
  ],
  [
    'a HEALTHCHECK interval too short',
    'FROM scratch\nHEALTHCHECK --interval=10us CMD true',
    'Dockerfile line 2: HEALTHCHECK: --interval cannot be less than 1ms',
  ],
  [
    'a HEALTHCHECK interval that is no duration',
    'FROM scratch\nHEALTHCHECK --interval=often CMD true',
    /^Dockerfile line 2: HEALTHCHECK: invalid duration "often" for --interval/,
  ],
  [
    'ONBUILD ONBUILD',
    'FROM scratch\nONBUILD ONBUILD RUN x',
    "Dockerfile line 2: ONBUILD: chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
  ],
  ['ONBUILD FROM', 'FROM scratch\nONBUILD FROM x', "Dockerfile line 2: ONBUILD: FROM isn't allowed as an ONBUILD trigger"],
  ['an invalid escape directive', '# escape=!\nFROM scratch', /^Dockerfile line 1: parser directive: invalid escape token '!'/],
  ['a continued line keeps its first line number', 'FROM scratch\nENV A=1 \\\n  B', /^Dockerfile line 2: ENV: syntax error/],
  [
    'an unknown --target',
    'FROM scratch AS one',
    'Dockerfile: target stage "two" could not be found (the stages are named one)',
    { target: 'two' },
  ],
];

describe('Dockerfile mistakes', () => {
  for (const [title, dockerfile, message, options] of mistakes) {
    it(title, () => {
      assert.throws(
        () => parseDockerfile(dockerfile, options),
        (err: unknown) => {
          assert.ok(isStevedoreError(err), String(err));
          assert.equal(err.code, 'INVALID_ARGUMENT');
          if (typeof message === 'string') assert.equal(err.message, message);
          else assert.match(err.message, message);
          return true;
        },
      );
    });
  }

  it('COPY --from an unknown name is an image reference, not a mistake', () => {
    const df = parseDockerfile('FROM scratch\nCOPY --from=nginx:alpine /etc/nginx /etc/nginx');
    const copy = df.stages[0]?.instructions[0];
    assert.deepEqual(copy?.kind === 'COPY' && copy.from, { kind: 'image', ref: 'nginx:alpine' });
  });
});
