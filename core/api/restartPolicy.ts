import { z } from 'zod';

export const restartPolicy = z.object({
  name: z.enum(['no', 'on-failure', 'always', 'unless-stopped']),
  /** on-failure's limit; 0: no limit. */
  maximumRetryCount: z.number().int().min(0),
});
export type RestartPolicy = z.infer<typeof restartPolicy>;

export const NO_RESTART: RestartPolicy = { name: 'no', maximumRetryCount: 0 };

/** docker's `--restart no|on-failure[:N]|always|unless-stopped`. */
export function parseRestartPolicy(text: string): { ok: true; value: RestartPolicy } | { ok: false; message: string } {
  const [name, count, ...rest] = text.split(':');
  const fail = {
    ok: false as const,
    message: `invalid restart policy "${text}": use no, on-failure[:N], always or unless-stopped`,
  };
  if (rest.length > 0 || !name) return fail;
  if (name === 'on-failure') {
    if (count === undefined) return { ok: true, value: { name, maximumRetryCount: 0 } };
    if (!/^\d{1,9}$/.test(count)) return fail;
    return { ok: true, value: { name, maximumRetryCount: Number(count) } };
  }
  if (count !== undefined) {
    return { ok: false, message: `invalid restart policy "${text}": only on-failure takes a maximum retry count` };
  }
  if (name === 'no' || name === 'always' || name === 'unless-stopped') return { ok: true, value: { name, maximumRetryCount: 0 } };
  return fail;
}

/**
 * Whether an ended container starts again, as docker's restart manager decides: `on-failure` on a
 * non-zero exit while under its limit, `always` and `unless-stopped` unless the user stopped it.
 */
export function restartWanted(
  policy: RestartPolicy,
  end: { exitCode: number | null; restartCount: number; stoppedByUser: boolean },
): boolean {
  if (end.stoppedByUser) return false;
  switch (policy.name) {
    case 'no':
      return false;
    case 'on-failure':
      return end.exitCode !== 0 && (policy.maximumRetryCount === 0 || end.restartCount < policy.maximumRetryCount);
    default:
      return true;
  }
}

/** docker's back-off before a restart: 100 ms, doubling with each restart in a row, at most a minute. */
export function restartDelayMs(restartCount: number): number {
  return Math.min(100 * 2 ** restartCount, 60_000);
}

/**
 * Whether a container that is not running starts again when a long-lived face starts the engine,
 * as docker's daemon decides at its start: `always` whatever ended it (a stop by the user too:
 * docker's documented difference from `unless-stopped`), the others as at any end.
 */
export function restartWantedAtEngineStart(
  policy: RestartPolicy,
  end: { exitCode: number | null; restartCount: number; stoppedByUser: boolean },
): boolean {
  return policy.name === 'always' || restartWanted(policy, end);
}
