// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dockerfile text, where ${…} is the syntax under test
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDockerfile } from './parseDockerfile.js';

const multiStage = [
  'ARG GO=1.22',
  'FROM golang:$GO AS deps', // 0
  'RUN go mod download',
  'FROM deps AS build', // 1: base deps
  'RUN go build -o /app',
  'FROM node:20 AS web', // 2
  'RUN npm run build',
  'FROM alpine AS docs', // 3: not needed by the app
  'RUN make docs',
  'FROM scratch AS assets', // 4
  'COPY --from=web /dist /dist',
  'FROM alpine AS test', // 5
  'RUN --mount=type=bind,from=build,source=/app,target=/app /app -test',
  'FROM scratch AS app', // 6
  'COPY --from=build /app /app',
  'COPY --from=4 /dist /static',
  'COPY --from=busybox:1.36 /bin/busybox /bin/',
].join('\n');

const names = (stages: { name?: string }[]) => stages.map((s) => s.name);

describe('stages a target needs', () => {
  const df = parseDockerfile(multiStage);

  it('records each stage’s dependencies: base stage, COPY --from by name or index, RUN --mount from', () => {
    assert.deepEqual(
      df.stages.map((s) => s.dependencies),
      [[], [0], [], [], [2], [1], [1, 4]],
    );
    assert.deepEqual(df.stages[6]?.imageSources, ['busybox:1.36']);
  });

  it('builds the last stage by default, skipping what it does not need', () => {
    assert.equal(df.target, 6);
    assert.deepEqual(names(df.stagesFor()), ['deps', 'build', 'web', 'assets', 'app']);
  });

  it('--target picks a stage by name and prunes the rest', () => {
    assert.deepEqual(names(df.stagesFor('test')), ['deps', 'build', 'test']);
    assert.deepEqual(names(df.stagesFor('docs')), ['docs']);
    assert.deepEqual(names(df.stagesFor('ASSETS')), ['web', 'assets']);
    const targeted = parseDockerfile(multiStage, { target: 'build' });
    assert.equal(targeted.target, 1);
    assert.deepEqual(names(targeted.stagesFor()), ['deps', 'build']);
  });

  it('does not evaluate a stage the target does not need', () => {
    const skipped = parseDockerfile('FROM scratch AS broken\nENV A=${MISSING:?unset}\nFROM scratch\nENV OK=1');
    assert.match(skipped.stages[0]?.invalid ?? '', /Dockerfile line 2: ENV: .*MISSING: unset/);
    assert.deepEqual(names(skipped.stagesFor()), [undefined]);
    assert.throws(
      () => parseDockerfile('FROM scratch AS broken\nENV A=${MISSING:?unset}\nFROM scratch\nENV OK=1', { target: 'broken' }),
      /Dockerfile line 2: ENV: .*MISSING: unset/,
    );
  });

  it('refuses an unknown --target, listing the stage names', () => {
    assert.throws(
      () => parseDockerfile(multiStage, { target: 'nope' }),
      /Dockerfile: target stage "nope" could not be found \(the stages are named deps, build, web, docs, assets, test, app\)/,
    );
  });
});
