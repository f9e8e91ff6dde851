import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HealthResult, HealthState } from '../../api/healthcheck.js';
import { STARTING } from './healthFile.js';
import { afterCheck } from './healthVerdict.js';

const startedAt = '2026-01-01T00:00:00.000Z';
const at = (seconds: number, exitCode: number): HealthResult => {
  const start = new Date(Date.parse(startedAt) + seconds * 1000).toISOString();
  return { start, end: start, exitCode, output: `${exitCode}\n` };
};

function run(results: HealthResult[], check = { retries: 2, startPeriodMs: 0 }): HealthState {
  return results.reduce((state, result) => afterCheck(state, result, check, startedAt), STARTING);
}

describe('afterCheck: docker’s health monitor', () => {
  it('is healthy at the first pass, unhealthy after `retries` failures in a row, healthy again at a pass', () => {
    assert.deepEqual(
      [run([at(1, 0)]).status, run([at(1, 1)]).status, run([at(1, 1), at(2, 1)]).status],
      ['healthy', 'starting', 'unhealthy'],
    );
    const back = run([at(1, 1), at(2, 1), at(3, 0)]);
    assert.deepEqual([back.status, back.failingStreak], ['healthy', 0]);
    const slipping = run([at(1, 0), at(2, 1)]);
    assert.deepEqual([slipping.status, slipping.failingStreak], ['healthy', 1]);
  });

  it('does not count failures in the start period before a pass, and keeps the last five checks', () => {
    const early = run([at(1, 1), at(2, 1), at(3, 1)], { retries: 1, startPeriodMs: 5000 });
    assert.deepEqual([early.status, early.failingStreak, early.log.length], ['starting', 0, 3]);
    const late = run([at(1, 1), at(6, 1)], { retries: 1, startPeriodMs: 5000 });
    assert.deepEqual([late.status, late.failingStreak], ['unhealthy', 1]);
    const many = run([1, 2, 3, 4, 5, 6, 7].map((s) => at(s, 0)));
    assert.deepEqual(
      many.log.map((r) => r.start),
      [3, 4, 5, 6, 7].map((s) => at(s, 0).start),
    );
  });
});
