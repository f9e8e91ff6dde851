import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveHealthcheck, parseGoDuration } from './healthcheck.js';

describe('healthcheck: the image’s HEALTHCHECK with run’s --health-* flags over it, as docker merges them', () => {
  it('reads Go durations as docker’s flags take them', () => {
    assert.deepEqual(['30s', '1m30s', '500ms', '1.5s', '2h', '0', '10', 's', '1s2', ''].map(parseGoDuration), [
      30_000,
      90_000,
      500,
      1500,
      7_200_000,
      0,
      null,
      null,
      null,
      null,
    ]);
  });

  it('takes the image’s check, each flag replacing one field, docker’s defaults for the rest', () => {
    const image = { Test: ['CMD', 'cat', '/ready'], Interval: 5e9, Retries: 4 };
    assert.deepEqual(effectiveHealthcheck(image), {
      ok: true,
      value: { test: ['CMD', 'cat', '/ready'], intervalMs: 5000, timeoutMs: 30_000, startPeriodMs: 0, retries: 4 },
    });
    assert.deepEqual(effectiveHealthcheck(image, { cmd: 'exit 1', timeout: '2s', startPeriod: '1m' }), {
      ok: true,
      value: { test: ['CMD-SHELL', 'exit 1'], intervalMs: 5000, timeoutMs: 2000, startPeriodMs: 60_000, retries: 4 },
    });
  });

  it('has no check for NONE, no test, or --no-healthcheck, and refuses --no-healthcheck with another flag', () => {
    for (const image of [null, {}, { Test: ['NONE'] }, { Test: [] }])
      assert.deepEqual(effectiveHealthcheck(image), { ok: true, value: null });
    assert.deepEqual(effectiveHealthcheck({ Test: ['CMD', 'true'] }, { none: true }), { ok: true, value: null });
    assert.deepEqual(effectiveHealthcheck(null, { none: true, retries: 2 }), {
      ok: false,
      message: '--no-healthcheck conflicts with --health-* options',
    });
    assert.deepEqual(effectiveHealthcheck(null, { cmd: 'true', interval: 'often' }), {
      ok: false,
      message: 'invalid argument "often" for "--health-interval": use a duration such as 30s, 1m30s or 500ms',
    });
  });
});
