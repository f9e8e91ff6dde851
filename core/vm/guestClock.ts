import { AGENT_CLOCK_PATH, type AgentClockAnswer } from '../client/agentProtocol.js';
import type { AgentEndpoint } from './agentClient.js';
import { agentHttp, bodyText, jsonBody, refusal } from './agentHttp.js';

/**
 * The guest's clock follows the host's. It is set at boot by the seed (guest/files/seed.cjs);
 * after that a guest can fall behind when it does not run (a laptop asleep, QEMU stopped, a
 * clock restored with the VM's state; under TCG here a 4 s QMP `stop` did not make it lag) or
 * drift. So the host sets it again every time an engine connects to the agent (each CLI command,
 * the app at start) and every CLOCK_SYNC_INTERVAL_MS while it stays connected (the issue asks at
 * least every minute).
 */

/** How often a connected engine sets the guest's clock again (the issue asks at least every minute). */
export const CLOCK_SYNC_INTERVAL_MS = 30_000;

/** The host's side: the guest's skew (guest minus host, ms), its clock set when `set` and off. */
export async function syncGuestClock(agent: AgentEndpoint, set = true): Promise<AgentClockAnswer> {
  const res = await agentHttp(agent, 'POST', AGENT_CLOCK_PATH, jsonBody({ hostMs: Date.now(), set }));
  if (res.statusCode !== 200) throw await refusal(res, "the machine's clock could not be set");
  return JSON.parse(await bodyText(res)) as AgentClockAnswer;
}
