import { spawnSync } from 'node:child_process';
import { setTimeout as wait } from 'node:timers/promises';
import { AGENT_CLOCK_PATH, type AgentClockAnswer } from '../client/agentProtocol.js';
import { StevedoreError } from '../errors.js';
import type { AgentEndpoint } from './agentClient.js';
import { agentHttp, bodyText, jsonBody, refusal } from './agentHttp.js';

/**
 * The guest's clock follows the host's. It is set at boot by the seed (guest/files/seed.mjs);
 * after that a guest can fall behind when it does not run (a laptop asleep, QEMU stopped, a
 * clock restored with the VM's state; under TCG here a 4 s QMP `stop` did not make it lag) or
 * drift. So the host sets it again every time an engine connects to the agent (each CLI command,
 * the app at start) and every CLOCK_SYNC_INTERVAL_MS while it stays connected (the issue asks at
 * least every minute).
 */

/** A guest clock this far off is set (the request's own transit, ~1 ms over hostfwd, is below it). */
export const CLOCK_TOLERANCE_MS = 20;
export const CLOCK_SYNC_INTERVAL_MS = 30_000;

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
 * The agent's side: how far this clock is from the host's `hostMs` (stamped as the host sent it),
 * and, with `set`, the clock set to the host's when it is further off than CLOCK_TOLERANCE_MS.
 */
export async function answerClock(
  request: { hostMs: number; set: boolean },
  receivedAt: number,
  setClock: (hostNowMs: number, since: number) => Promise<void> = setSystemClock,
): Promise<AgentClockAnswer> {
  const skewMs = Date.now() - request.hostMs;
  if (!request.set || Math.abs(skewMs) <= CLOCK_TOLERANCE_MS) return { skewMs, corrected: false };
  await setClock(request.hostMs, receivedAt);
  return { skewMs, corrected: true };
}

/** The host's side: the guest's skew (guest minus host, ms), its clock set when `set` and off. */
export async function syncGuestClock(agent: AgentEndpoint, set = true): Promise<AgentClockAnswer> {
  const res = await agentHttp(agent, 'POST', AGENT_CLOCK_PATH, jsonBody({ hostMs: Date.now(), set }));
  if (res.statusCode !== 200) throw await refusal(res, "the machine's clock could not be set");
  return JSON.parse(await bodyText(res)) as AgentClockAnswer;
}
