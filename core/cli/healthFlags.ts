import type { HealthFlags } from '../api/healthcheck.js';
import { StevedoreError } from '../errors.js';

/** docker run's health flags, as commander gives them. */
export interface HealthOptions {
  healthCmd?: string;
  healthInterval?: string;
  healthTimeout?: string;
  healthStartPeriod?: string;
  healthRetries?: string;
  healthcheck?: boolean;
}

/** The run request's `healthcheck`, or nothing when no health flag was typed (the image's check, if any, runs). */
export function healthRequest(opts: HealthOptions): { healthcheck?: HealthFlags } {
  const flags: HealthFlags = {
    ...(opts.healthCmd !== undefined ? { cmd: opts.healthCmd } : {}),
    ...(opts.healthInterval !== undefined ? { interval: opts.healthInterval } : {}),
    ...(opts.healthTimeout !== undefined ? { timeout: opts.healthTimeout } : {}),
    ...(opts.healthStartPeriod !== undefined ? { startPeriod: opts.healthStartPeriod } : {}),
    ...(opts.healthRetries !== undefined ? { retries: retries(opts.healthRetries) } : {}),
    // commander's --no-healthcheck sets healthcheck to false.
    ...(opts.healthcheck === false ? { none: true } : {}),
  };
  return Object.keys(flags).length > 0 ? { healthcheck: flags } : {};
}

function retries(text: string): number {
  if (!/^-?\d{1,9}$/.test(text)) {
    throw new StevedoreError('INVALID_ARGUMENT', `invalid argument "${text}" for "--health-retries": expected a whole number`);
  }
  return Number(text);
}
