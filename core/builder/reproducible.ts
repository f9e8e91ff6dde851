import { StevedoreError } from '../errors.js';

/**
 * The image's `created`: SOURCE_DATE_EPOCH when given (so two builds give the same bytes), else now.
 * RFC 3339 in UTC without fractions when there are none, as docker writes it.
 */
export function imageCommitTime(sourceDateEpoch: number | undefined, now = Date.now()): string {
  return new Date(sourceDateEpoch !== undefined ? sourceDateEpoch * 1000 : now).toISOString().replace('.000Z', 'Z');
}

/** SOURCE_DATE_EPOCH from the environment, checked: whole seconds since 1970. */
export function sourceDateEpochFrom(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) {
    throw new StevedoreError('INVALID_ARGUMENT', `SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${raw}"`);
  }
  return Number(raw);
}
