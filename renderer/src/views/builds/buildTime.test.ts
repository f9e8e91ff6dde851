import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { folderName } from './buildName';
import { buildDuration, formatDuration, stepCountText } from './buildTime';

describe('build times and counts', () => {
  it('prints durations as the CLI does under a minute, then in minutes and hours', () => {
    assert.equal(formatDuration(0), '0.0s');
    assert.equal(formatDuration(123), '0.1s');
    assert.equal(formatDuration(59_940), '59.9s');
    assert.equal(formatDuration(65_000), '1m 05s');
    assert.equal(formatDuration(3_725_000), '1h 02m');
    assert.equal(formatDuration(-5), '0.0s');
  });

  it('measures a build to its end, or to now while it runs', () => {
    const startedAt = '2025-01-01T00:00:00.000Z';
    assert.equal(buildDuration({ startedAt, endedAt: '2025-01-01T00:00:02.500Z' }, 0), 2500);
    assert.equal(buildDuration({ startedAt, endedAt: null }, Date.parse(startedAt) + 900), 900);
    assert.equal(buildDuration({ startedAt: 'never', endedAt: null }, 0), null);
  });

  it('counts steps and the cached ones', () => {
    assert.equal(stepCountText({ stepCount: 1, cachedCount: 0 }), '1 step');
    assert.equal(stepCountText({ stepCount: 5, cachedCount: 4 }), '5 steps · 4 cached');
  });

  it('names an untagged build by its folder', () => {
    assert.equal(folderName('/home/me/app/'), 'app');
    assert.equal(folderName('/'), '/');
  });
});
