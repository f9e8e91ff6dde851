import type { Healthcheck, HealthResult, HealthState } from '../../api/healthcheck.js';

/** docker keeps the last five checks (api/types/container: MaxHealthLogEntries). */
const LOG_ENTRIES = 5;

/**
 * The state after one check, as docker's health monitor decides: a pass makes the container
 * healthy and clears the streak; a failure during the start period, before any pass, is not
 * counted; otherwise the streak grows, and at `retries` failures in a row it is unhealthy.
 */
export function afterCheck(
  previous: HealthState,
  result: HealthResult,
  check: Pick<Healthcheck, 'retries' | 'startPeriodMs'>,
  runStartedAt: string,
): HealthState {
  const log = [...previous.log, result].slice(-LOG_ENTRIES);
  if (result.exitCode === 0) return { status: 'healthy', failingStreak: 0, log };
  const inStartPeriod = Date.parse(result.start) - Date.parse(runStartedAt) < check.startPeriodMs;
  if (inStartPeriod && previous.status === 'starting') return { ...previous, log };
  const failingStreak = previous.failingStreak + 1;
  return { status: failingStreak >= check.retries ? 'unhealthy' : previous.status, failingStreak, log };
}
