import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuildStep, BuildSummary } from '../../../core/api/builds.schema';
import { applyToBuild, applyToList, type BuildEvent, withStep } from './buildMerge';
import type { BuildList, LiveBuild } from './buildQueries';

const ID = '0123456789abcdef';
const summary = (extra: Partial<BuildSummary> = {}): BuildSummary => ({
  buildId: ID,
  contextDir: '/ctx',
  dockerfile: '/ctx/Dockerfile',
  tags: ['app:1'],
  state: 'running',
  startedAt: '2025-01-01T00:00:00.000Z',
  endedAt: null,
  imageId: null,
  error: null,
  stepCount: 1,
  cachedCount: 0,
  ...extra,
});
const step = (n: number, state: BuildStep['state']): BuildStep => ({
  step: n,
  title: `[${n}/3] STEP ${n}`,
  state,
  durationMs: state === 'running' ? null : 10,
  error: state === 'failed' ? 'boom' : null,
});
const live = (eventMark: number): LiveBuild => ({
  ...summary(),
  buildArgs: {},
  target: null,
  noCache: false,
  steps: [step(1, 'done'), step(2, 'running')],
  stepCount: 2,
  output: [{ step: 2, stream: 'stdout', text: 'one\n' }],
  eventMark,
});
const progress = (stamp: number, s: BuildStep): BuildEvent => ({ kind: 'progress', stamp, buildId: ID, step: s });
const output = (stamp: number, text: string): BuildEvent => ({
  kind: 'output',
  stamp,
  buildId: ID,
  output: { step: 2, stream: 'stdout', text },
});

describe('build events merged with what the engine answered', () => {
  it('puts a step in its place, by number', () => {
    const steps = withStep([step(1, 'done'), step(3, 'running')], step(2, 'cached'));
    assert.deepEqual(
      steps.map((s) => s.step),
      [1, 2, 3],
    );
    assert.equal(withStep(steps, step(3, 'done'))[2]?.state, 'done');
  });

  it('applies only the events that came after the answer, in order', () => {
    const build = live(5);
    const next = applyToBuild(build, [
      output(4, 'one\n'),
      output(6, 'two\n'),
      progress(7, step(2, 'done')),
      progress(8, step(3, 'running')),
      output(9, 'three'),
    ]);
    assert.deepEqual(
      next.output.map((o) => o.text),
      ['one\n', 'two\n', 'three'],
    );
    assert.deepEqual(
      next.steps.map((s) => `${s.step}:${s.state}`),
      ['1:done', '2:done', '3:running'],
    );
    assert.equal(next.stepCount, 3);
    assert.equal(next.eventMark, 9);
    // Applied again (a second flush of the same events), nothing changes.
    assert.equal(applyToBuild(next, [output(9, 'three')]), next);
  });

  it('leaves other builds’ events alone', () => {
    const build = live(0);
    const other: BuildEvent = {
      kind: 'output',
      stamp: 3,
      buildId: 'ffffffffffffffff',
      output: { step: 2, stream: 'stdout', text: 'x' },
    };
    assert.equal(applyToBuild(build, [other]), build);
  });

  it('takes the end from the engine’s summary', () => {
    const ended = summary({ state: 'done', endedAt: '2025-01-01T00:00:02.000Z', imageId: 'sha256:abc', stepCount: 2 });
    const next = applyToBuild(live(1), [progress(2, step(2, 'done')), { kind: 'ended', stamp: 3, summary: ended }]);
    assert.equal(next.state, 'done');
    assert.equal(next.imageId, 'sha256:abc');
    assert.equal(next.endedAt, '2025-01-01T00:00:02.000Z');
    assert.equal(next.output.length, 1);
  });

  it('counts steps and cached ones in the history, and asks for a refetch for a build it does not know', () => {
    const list: BuildList = { builds: [summary({ stepCount: 1 })], eventMark: 2 };
    const { list: next, unknown } = applyToList(list, [
      progress(2, step(1, 'running')),
      progress(3, step(1, 'done')),
      progress(4, step(2, 'running')),
      progress(5, step(2, 'cached')),
      output(6, 'ignored'),
    ]);
    assert.equal(unknown, false);
    assert.equal(next.builds[0]?.stepCount, 2);
    assert.equal(next.builds[0]?.cachedCount, 1);
    assert.equal(next.eventMark, 5);

    const stranger: BuildEvent = { kind: 'progress', stamp: 7, buildId: 'ffffffffffffffff', step: step(1, 'running') };
    assert.equal(applyToList(next, [stranger]).unknown, true);
  });

  it('puts an ended build in the history, newest first', () => {
    const list: BuildList = { builds: [summary()], eventMark: 0 };
    const newer = summary({ buildId: 'ffffffffffffffff', state: 'failed', startedAt: '2025-01-02T00:00:00.000Z' });
    const { list: next, unknown } = applyToList(list, [{ kind: 'ended', stamp: 1, summary: newer }]);
    assert.equal(unknown, true);
    assert.deepEqual(
      next.builds.map((b) => b.buildId),
      ['ffffffffffffffff', ID],
    );
  });
});
