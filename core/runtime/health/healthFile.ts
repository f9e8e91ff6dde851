import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HealthState, healthState } from '../../api/healthcheck.js';
import { writeFileAtomic } from '../../system/atomicFile.js';

/** `<container dir>/health.json`: docker's State.Health of the current run, written by its checks. */
export function healthFile(containerDir: string): string {
  return join(containerDir, 'health.json');
}

/** What a run starts with: `starting`, no failures, no checks yet (docker resets health at each start). */
export const STARTING: HealthState = { status: 'starting', failingStreak: 0, log: [] };

/** The state the checks wrote; `starting` before the first one (or from a file half gone). */
export function readHealth(containerDir: string): HealthState {
  const file = healthFile(containerDir);
  if (!existsSync(file)) return STARTING;
  try {
    return healthState.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return STARTING;
  }
}

/** Temp file and rename: `ps` reads the state before or after a check, never half of one. */
export function writeHealth(containerDir: string, state: HealthState): void {
  writeFileAtomic(healthFile(containerDir), `${JSON.stringify(state)}\n`, { durable: false });
}
