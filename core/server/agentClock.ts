import { spawnSync } from 'node:child_process';
import { setTimeout as wait } from 'node:timers/promises';
import type { AgentClockAnswer } from '../client/agentProtocol.js';
import { describeError, StevedoreError } from '../errors.js';

/**
 * The agent's side of the guest clock (the host's is core/vm/guestClock.ts): the seed sets the
 * clock at boot; after that the host asks on every connection and every half minute, and the
 * clock is set here when it is off.
 */

/**
 * A guest clock this far off is set. The skew is read against the host's clock as the request left,
 * so its one-way transit counts in it: ~1 ms over hostfwd from an idle process, but 30-50 ms from a
 * CLI still starting up (measured, TCG), which at 20 ms set a clock that was right, and set it
 * behind by the transit. The bound is 100 ms.
 */
export const CLOCK_TOLERANCE_MS = 50;
/**
 * A clock this far off (a guest that was paused or asleep) is set before the answer: the command
 * that asked then runs at the right time to the second. A smaller skew is set meanwhile, since the
 * set waits for the host's next whole second (half a second on average) and every command through
 * the machine asks first; under load the request's own transit alone is tens of ms of "skew".
 */
export const BLOCKING_SKEW_MS = 1000;

/** What the agent does to set the system clock: kept apart so that a test can stand in for it. */
export interface ClockIo {
  /** The system clock (Date.now()). */
  now(): number;
  /** A monotonic clock in ms (performance.now()), which a set leaves alone. */
  monotonic(): number;
  /** Returns once `ms` have passed (at once for 0 or less). */
  waitMs(ms: number): Promise<void>;
  /** Sets the system clock to a whole second of Unix time. */
  setSeconds(seconds: number): void;
}

/** The largest start-up of `date` believed: a set that seemed to take longer was held up by load. */
const MAX_LEAD_MS = 250;
/** A set that lands further off than this is made again at once, with its delay allowed for. */
const LANDED_WITHIN_MS = 10;

const systemIo: ClockIo = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  // The last stretch blocking, for the millisecond.
  waitMs: async (ms) => {
    const until = performance.now() + ms;
    if (ms > 30) await wait(ms - 20);
    const left = until - performance.now();
    if (left > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, left);
  },
  setSeconds: (seconds) => {
    const set = spawnSync('date', ['-u', '-s', `@${seconds}`], { stdio: 'ignore' });
    if (set.status !== 0) throw new StevedoreError('INTERNAL', `the guest clock could not be set (date exited ${set.status})`);
  },
};

/**
 * The system clock set to the host's. busybox's `date -s` takes whole seconds, and sets the clock
 * only once it has started, which under TCG can be tens of ms after it is spawned (the seed's set
 * at boot, its `date` started on the second, left the guest 40-65 ms behind, measured). How late
 * `date` lands is read back after each set (this clock against the host's) and the next one is
 * started that much before its second; a set that landed off by more than LANDED_WITHIN_MS is
 * made again at once.
 */
export class ClockSetter {
  private leadMs = 0;

  constructor(private readonly io: ClockIo = systemIo) {}

  /** Sets the clock to `hostNowMs` as read at `since` (the monotonic clock). */
  async set(hostNowMs: number, since: number, again = true): Promise<void> {
    const hostNow = () => hostNowMs + (this.io.monotonic() - since);
    const second = Math.ceil((hostNow() + this.leadMs) / 1000) * 1000;
    await this.io.waitMs(second - this.leadMs - hostNow());
    this.io.setSeconds(second / 1000);
    const behind = hostNow() - this.io.now();
    this.leadMs = Math.min(MAX_LEAD_MS, Math.max(0, this.leadMs + behind));
    if (again && Math.abs(behind) > LANDED_WITHIN_MS) await this.set(hostNowMs, since, false);
  }
}

const systemClock = new ClockSetter();

/**
 * The agent's side: how far this clock (`guestNowMs`, read as the request arrived) is from the
 * host's `hostMs` (stamped as the host sent it), and, with `set`, the clock set to the host's when
 * it is further off than CLOCK_TOLERANCE_MS.
 */
export async function answerClock(
  request: { hostMs: number; set: boolean },
  received: { guestNowMs: number; at: number },
  setClock: (hostNowMs: number, since: number) => Promise<void> = (hostNowMs, since) => systemClock.set(hostNowMs, since),
): Promise<AgentClockAnswer> {
  const skewMs = received.guestNowMs - request.hostMs;
  if (!request.set || Math.abs(skewMs) <= CLOCK_TOLERANCE_MS) return { skewMs, corrected: false, setting: !!setting };
  if (Math.abs(skewMs) > BLOCKING_SKEW_MS) {
    await setClock(request.hostMs, received.at);
    return { skewMs, corrected: true, setting: !!setting };
  }
  // One set at a time: the host asks on each connection, and two sets at once would race.
  if (!setting) {
    setting = setClock(request.hostMs, received.at)
      .catch((err) => console.error(`the guest clock could not be set: ${describeError(err).message}`))
      .finally(() => {
        setting = undefined;
      });
  }
  return { skewMs, corrected: true, setting: true };
}

/** The set under way in the background, if any. */
let setting: Promise<void> | undefined;
