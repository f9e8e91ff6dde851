import type { LogEntry } from '../api/containers.schema.js';
import { StevedoreError } from '../errors.js';

const UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000_001 };

/**
 * `logs --since/--until` as docker reads them: an RFC 3339 time (`2024-05-04T12:00:00Z`, a date
 * alone, or without a zone: UTC here), Unix seconds (`1714824000.5`), or a Go duration back from
 * now (`10m`, `1h30m`, `90s`). The result is milliseconds since the epoch.
 */
export function parseLogBound(flag: 'since' | 'until', text: string, now: number): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const duration = /^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/.test(text)
    ? [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)].reduce(
        (sum, [, n, unit]) => sum + Number(n) * (UNITS[unit!] ?? 0),
        0,
      )
    : undefined;
  if (duration !== undefined) return now - duration;
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(text)) {
    const zoned = /T/.test(text) && !/(Z|[+-]\d{2}:\d{2})$/.test(text) ? `${text}Z` : text;
    const time = Date.parse(zoned);
    if (!Number.isNaN(time)) return time;
  }
  throw new StevedoreError(
    'INVALID_ARGUMENT',
    `invalid value for "${flag}": failed to parse value as time or duration: "${text}"`,
  );
}

/** Whether an entry falls in the window: at or after `since`, before `until` (docker's bounds). */
export function inLogWindow(entry: LogEntry, since: number | undefined, until: number | undefined): boolean {
  if (since === undefined && until === undefined) return true;
  const time = Date.parse(entry.time);
  if (Number.isNaN(time)) return true;
  return (since === undefined || time >= since) && (until === undefined || time < until);
}
