import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerClock, BLOCKING_SKEW_MS, CLOCK_TOLERANCE_MS, type ClockIo, ClockSetter } from './agentClock.js';

/** The guest's clock as a request arrives, fixed: the skew is then exact. */
const guestNowMs = 1_700_000_000_000;

describe("the agent's side of the guest clock", () => {
  it('sets a clock that is behind the host to the host time as it was read', async () => {
    const set: { hostNowMs: number; since: number }[] = [];
    const hostMs = guestNowMs + 4000;
    const answer = await answerClock({ hostMs, set: true }, { guestNowMs, at: 123.5 }, async (hostNowMs, since) => {
      set.push({ hostNowMs, since });
    });
    assert.deepEqual(answer, { skewMs: -4000, corrected: true, setting: false });
    assert.deepEqual(set, [{ hostNowMs: hostMs, since: 123.5 }]);
  });

  it('sets a clock that is ahead too', async () => {
    let called = 0;
    const answer = await answerClock({ hostMs: guestNowMs - 1500, set: true }, { guestNowMs, at: 0 }, async () => {
      called += 1;
    });
    assert.deepEqual(answer, { skewMs: 1500, corrected: true, setting: false });
    assert.equal(called, 1);
  });

  it('answers at once when the clock is a little off, and sets it meanwhile', async () => {
    // Under TCG the set waits for the host's next whole second: up to a second that every command
    // through the machine would wait, for a skew of tens of ms (one-way transit counts in it).
    let finish: (() => void) | undefined;
    const started: number[] = [];
    const setter = (hostNowMs: number) => {
      started.push(hostNowMs);
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    };
    const answer = await answerClock({ hostMs: guestNowMs - 300, set: true }, { guestNowMs, at: 0 }, setter);
    assert.deepEqual(answer, { skewMs: 300, corrected: true, setting: true });
    assert.deepEqual(started, [guestNowMs - 300], 'the set has begun');
    // One set at a time: a second request while the first runs starts none, and hears of it.
    const measuring = { hostMs: guestNowMs - 300, set: false };
    assert.equal((await answerClock(measuring, { guestNowMs, at: 0 }, setter)).setting, true);
    await answerClock({ hostMs: guestNowMs - 300, set: true }, { guestNowMs, at: 0 }, setter);
    assert.equal(started.length, 1);
    finish!();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await answerClock(measuring, { guestNowMs, at: 0 }, setter)).setting, false, 'the set has landed');
  });

  it('waits for the set when the clock is off by more than BLOCKING_SKEW_MS (a paused guest)', async () => {
    let done = false;
    const answer = await answerClock(
      { hostMs: guestNowMs + BLOCKING_SKEW_MS + 1, set: true },
      { guestNowMs, at: 0 },
      async () => {
        await new Promise((resolve) => setImmediate(resolve));
        done = true;
      },
    );
    assert.deepEqual(answer, { skewMs: -(BLOCKING_SKEW_MS + 1), corrected: true, setting: false });
    assert.ok(done, 'the answer came after the clock was set');
  });

  it('leaves a clock within the tolerance alone, and only measures when not asked to set', async () => {
    let called = 0;
    const setter = async () => {
      called += 1;
    };
    const close = await answerClock({ hostMs: guestNowMs - CLOCK_TOLERANCE_MS, set: true }, { guestNowMs, at: 0 }, setter);
    assert.deepEqual(close, { skewMs: CLOCK_TOLERANCE_MS, corrected: false, setting: false });
    const measured = await answerClock({ hostMs: guestNowMs + 10_000, set: false }, { guestNowMs, at: 0 }, setter);
    assert.deepEqual(measured, { skewMs: -10_000, corrected: false, setting: false });
    assert.equal(called, 0);
  });

  it('learns how late `date` sets the clock, and lands on the host time from then on', async () => {
    // A made clock: `date` sets the second it is given 40 ms after it is started (its start-up
    // under TCG); the guest begins 5 s behind the host.
    const startUpMs = 40;
    const hostAtZero = 1_700_000_000_123;
    let monotonic = 0;
    let offset = -5000;
    const io: ClockIo = {
      now: () => hostAtZero + monotonic + offset,
      monotonic: () => monotonic,
      waitMs: async (ms) => {
        monotonic += Math.max(0, ms);
      },
      setSeconds: (seconds) => {
        monotonic += startUpMs;
        offset = seconds * 1000 - hostAtZero - monotonic;
      },
    };
    const guestMinusHost = () => io.now() - (hostAtZero + monotonic);
    const landed: number[] = [];
    const setSeconds = io.setSeconds;
    io.setSeconds = (seconds) => {
      setSeconds(seconds);
      landed.push(guestMinusHost());
    };
    const setter = new ClockSetter(io);
    await setter.set(hostAtZero, 0);
    assert.deepEqual(landed, [-startUpMs, 0], "the first set lands as late as date's start-up, and is made again earlier");
    assert.equal(guestMinusHost(), 0);
    monotonic += 7_777;
    await setter.set(hostAtZero, 0);
    assert.deepEqual(landed, [-startUpMs, 0, 0], 'later sets land at once');
  });
});
