import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerClock, CLOCK_TOLERANCE_MS } from './agentClock.js';

describe("the agent's side of the guest clock", () => {
  it('sets a clock that is behind the host to the host time as it was read', async () => {
    const set: { hostNowMs: number; since: number }[] = [];
    const hostMs = Date.now() + 4000;
    const answer = await answerClock({ hostMs, set: true }, 123.5, async (hostNowMs, since) => {
      set.push({ hostNowMs, since });
    });
    assert.equal(answer.corrected, true);
    assert.ok(answer.skewMs <= -3900, `skew ${answer.skewMs}`);
    assert.deepEqual(set, [{ hostNowMs: hostMs, since: 123.5 }]);
  });

  it('sets a clock that is ahead too', async () => {
    let called = 0;
    const answer = await answerClock({ hostMs: Date.now() - 1500, set: true }, 0, async () => {
      called += 1;
    });
    assert.equal(answer.corrected, true);
    assert.ok(answer.skewMs >= 1500);
    assert.equal(called, 1);
  });

  it('leaves a clock within the tolerance alone, and only measures when not asked to set', async () => {
    let called = 0;
    const setter = async () => {
      called += 1;
    };
    assert.equal((await answerClock({ hostMs: Date.now() - CLOCK_TOLERANCE_MS / 4, set: true }, 0, setter)).corrected, false);
    const measured = await answerClock({ hostMs: Date.now() + 10_000, set: false }, 0, setter);
    assert.equal(measured.corrected, false);
    assert.ok(measured.skewMs <= -9000);
    assert.equal(called, 0);
  });
});
