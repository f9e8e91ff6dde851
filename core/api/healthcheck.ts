import { z } from 'zod';

/**
 * A container's health check as it runs: docker's HEALTHCHECK (the image's config.Healthcheck)
 * with the `run --health-*` flags laid over it. `test` keeps docker's form: `["CMD", arg…]` runs
 * the arguments, `["CMD-SHELL", command]` runs `/bin/sh -c command`.
 */
export const healthcheck = z.object({
  test: z.array(z.string()).min(2),
  intervalMs: z.number().int().positive(),
  timeoutMs: z.number().int().positive(),
  startPeriodMs: z.number().int().min(0),
  retries: z.number().int().positive(),
});
export type Healthcheck = z.infer<typeof healthcheck>;

export const healthStatus = z.enum(['starting', 'healthy', 'unhealthy']);
export type HealthStatus = z.infer<typeof healthStatus>;

/** One check, as docker's State.Health.Log keeps it: -1 for a check that ran out of time. */
export const healthResult = z.object({
  start: z.string(),
  end: z.string(),
  exitCode: z.number().int(),
  output: z.string(),
});
export type HealthResult = z.infer<typeof healthResult>;

/** docker's State.Health: the status, the failures in a row, the last five checks. */
export const healthState = z.object({
  status: healthStatus,
  failingStreak: z.number().int().min(0),
  log: z.array(healthResult),
});
export type HealthState = z.infer<typeof healthState>;

/** `run --health-cmd/--health-interval/--health-timeout/--health-start-period/--health-retries/--no-healthcheck`, as typed. */
export const healthFlags = z.object({
  cmd: z.string().min(1).optional(),
  interval: z.string().optional(),
  timeout: z.string().optional(),
  startPeriod: z.string().optional(),
  retries: z.number().int().optional(),
  none: z.boolean().optional(),
});
export type HealthFlags = z.infer<typeof healthFlags>;

/** docker's defaults (api/types/container: DefaultHealthInterval, DefaultHealthTimeout, DefaultHealthRetries). */
export const HEALTH_DEFAULTS = { intervalMs: 30_000, timeoutMs: 30_000, startPeriodMs: 0, retries: 3 } as const;

/** The image config's Healthcheck: durations in nanoseconds, 0 or absent meaning the default. */
const imageHealthcheck = z.looseObject({
  Test: z.array(z.string()).nullish(),
  Interval: z.number().optional(),
  Timeout: z.number().optional(),
  StartPeriod: z.number().optional(),
  Retries: z.number().optional(),
});
export type ImageHealthcheck = z.infer<typeof imageHealthcheck>;

/** The image config's `Healthcheck` if it is one (config.md leaves it to docker's own schema). */
export function readImageHealthcheck(value: unknown): ImageHealthcheck | null {
  const parsed = imageHealthcheck.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const GO_UNITS_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (`30s`, `1m30s`, `500ms`, `0`), as docker's flags take them, in milliseconds; null if it is not one. */
export function parseGoDuration(text: string): number | null {
  if (text === '0') return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return null;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (GO_UNITS_MS[p[2]!] ?? 0), 0);
}

type Accepted<T> = { ok: true; value: T } | { ok: false; message: string };

function flagDuration(name: string, text: string | undefined, fallback: number): Accepted<number> {
  if (text === undefined) return { ok: true, value: fallback };
  const ms = parseGoDuration(text);
  if (ms === null)
    return { ok: false, message: `invalid argument "${text}" for "--${name}": use a duration such as 30s, 1m30s or 500ms` };
  if (ms !== 0 && ms < 1) return { ok: false, message: `--${name} cannot be less than 1ms` };
  return { ok: true, value: ms === 0 ? fallback : Math.round(ms) };
}

function imageDuration(ns: number | undefined, fallback: number): number {
  return ns && ns > 0 ? Math.max(1, Math.round(ns / 1e6)) : fallback;
}

/**
 * The check a container runs, as docker's daemon merges them: each flag given replaces the
 * image's field; `--health-cmd` is a CMD-SHELL; `--no-healthcheck` or a `["NONE"]` test means
 * none. null: no check (ps shows no health).
 */
export function effectiveHealthcheck(
  image: ImageHealthcheck | null | undefined,
  flags: HealthFlags = {},
): Accepted<Healthcheck | null> {
  const tuned = [flags.cmd, flags.interval, flags.timeout, flags.startPeriod, flags.retries].some((v) => v !== undefined);
  if (flags.none && tuned) return { ok: false, message: '--no-healthcheck conflicts with --health-* options' };
  if (flags.none) return { ok: true, value: null };
  if (flags.retries !== undefined && flags.retries < 0) return { ok: false, message: '--health-retries cannot be negative' };
  const test: string[] = flags.cmd !== undefined ? ['CMD-SHELL', flags.cmd] : (image?.Test ?? []);
  const interval = flagDuration('health-interval', flags.interval, imageDuration(image?.Interval, HEALTH_DEFAULTS.intervalMs));
  const timeout = flagDuration('health-timeout', flags.timeout, imageDuration(image?.Timeout, HEALTH_DEFAULTS.timeoutMs));
  const start = flagDuration('health-start-period', flags.startPeriod, imageDuration(image?.StartPeriod, 0));
  for (const parsed of [interval, timeout, start]) if (!parsed.ok) return parsed;
  if (test.length < 2 || (test[0] !== 'CMD' && test[0] !== 'CMD-SHELL')) return { ok: true, value: null };
  const retries = flags.retries || image?.Retries || HEALTH_DEFAULTS.retries;
  return {
    ok: true,
    value: {
      test,
      intervalMs: (interval as { value: number }).value,
      timeoutMs: (timeout as { value: number }).value,
      startPeriodMs: (start as { value: number }).value,
      retries,
    },
  };
}
