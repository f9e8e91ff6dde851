import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from '../../testkit/eventually.js';
import { tempDir } from '../../testkit/tempDir.js';
import { BuildHistory } from './buildHistory.js';

const request = { contextDir: '/ctx', dockerfile: 'Dockerfile', tags: ['app:1'], buildArgs: {}, target: null, noCache: false };
const step = (n: number) => ({ step: n, title: `[${n}/3] RUN step ${n}`, state: 'cached' as const, durationMs: 0, error: null });

describe('BuildHistory', () => {
  it('shows its own running build at once, and another process sees every step soon after and the end at once', async () => {
    const root = tempDir();
    const history = new BuildHistory(root);
    const { buildId } = history.begin(request);
    for (const n of [1, 2, 3]) history.step(buildId, step(n));
    assert.deepEqual(
      history.get(buildId).steps.map((s) => s.step),
      [1, 2, 3],
    );
    assert.equal(history.list()[0]?.stepCount, 3);

    // Another process (the app, `builds ls`) reads the file, which follows within a moment.
    const other = new BuildHistory(root);
    await eventually(() => {
      const seen = other.get(buildId);
      assert.deepEqual(
        seen.steps.map((s) => s.step),
        [1, 2, 3],
      );
      assert.equal(seen.state, 'running');
    });

    history.step(buildId, step(4));
    history.end(buildId, { imageId: 'sha256:abc' });
    const ended = other.get(buildId);
    assert.equal(ended.state, 'done');
    assert.equal(ended.imageId, 'sha256:abc');
    assert.equal(ended.stepCount, 4, 'the last step, written with the end');
    assert.equal(ended.cachedCount, 4);
  });
});
