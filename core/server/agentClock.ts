import { spawnSync } from 'node:child_process';
import { setTimeout as wait } from 'node:timers/promises';
import type { AgentClockAnswer } from '../client/agentProtocol.js';
import { describeError, StevedoreError } from '../errors.js';

/**
 * The agent's side of the guest clock (the host's is core/vm/guestClock.ts): the seed sets the
 * clock at boot; after that the host asks on every connection and every half minute, and the
 * clock is set here when it is off.
 */

/** A guest clock this far off is set (the request's own transit, ~1 ms over hostfwd, is below it). */
export const CLOCK_TOLERANCE_MS = 20;
/**
 * A clock this far off (a guest that was paused or asleep) is set before the answer: the command
 * that asked then runs at the right time to the second. A smaller skew is set meanwhile, since the
 * set waits for the host's next whole second (half a second on average) and every command through
 * the machine asks first; under load the request's own transit alone is tens of ms of "skew".
 */
export const BLOCKING_SKEW_MS = 1000;

/**
 * The system clock set to `hostNowMs` as read at `since` (performance.now()). busybox's `date -s`
 * takes whole seconds: wait for the host's next whole second (the last stretch blocking, for the
 * millisecond), then set it.
 */
export async function setSystemClock(hostNowMs: number, since: number): Promise<void> {
  const now = () => hostNowMs + (performance.now() - since);
  const next = Math.ceil(now() / 1000) * 1000;
  if (next - now() > 30) await wait(next - now() - 20);
  const left = next - now();
  if (left > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, left);
  const set = spawnSync('date', ['-u', '-s', `@${next / 1000}`], { stdio: 'ignore' });
  if (set.status !== 0) throw new StevedoreError('INTERNAL', `the guest clock could not be set (date exited ${set.status})`);
}

/**
 * The agent's side: how far this clock (`guestNowMs`, read as the request arrived) is from the
 * host's `hostMs` (stamped as the host sent it), and, with `set`, the clock set to the host's when
 * it is further off than CLOCK_TOLERANCE_MS.
 */
export async function answerClock(
  request: { hostMs: number; set: boolean },
  received: { guestNowMs: number; at: number },
  setClock: (hostNowMs: number, since: number) => Promise<void> = setSystemClock,
): Promise<AgentClockAnswer> {
  const skewMs = received.guestNowMs - request.hostMs;
  if (!request.set || Math.abs(skewMs) <= CLOCK_TOLERANCE_MS) return { skewMs, corrected: false };
  if (Math.abs(skewMs) > BLOCKING_SKEW_MS) {
    await setClock(request.hostMs, received.at);
    return { skewMs, corrected: true };
  }
  // One set at a time: the host asks on each connection, and two sets at once would race.
  if (!setting) {
    setting = setClock(request.hostMs, received.at)
      .catch((err) => console.error(`the guest clock could not be set: ${describeError(err).message}`))
      .finally(() => {
        setting = undefined;
      });
  }
  return { skewMs, corrected: true };
}

/** The set under way in the background, if any. */
let setting: Promise<void> | undefined;
