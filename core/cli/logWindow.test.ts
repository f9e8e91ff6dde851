import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dockerLogTime } from '../runtime/logOutput.js';
import { inLogWindow, parseLogBound } from './logWindow.js';

const now = Date.parse('2026-12-03T12:00:00Z');

describe('logs --since/--until and -t, as docker', () => {
  it('reads RFC 3339 times, dates, Unix seconds and durations back from now', () => {
    assert.equal(parseLogBound('since', '2026-12-03T11:00:00Z', now), now - 3_600_000);
    assert.equal(parseLogBound('since', '2026-12-03T13:00:00+02:00', now), now - 3_600_000);
    assert.equal(parseLogBound('since', '2026-12-03T11:00:00', now), now - 3_600_000, 'no zone: UTC');
    assert.equal(parseLogBound('since', '2026-12-03', now), now - 12 * 3_600_000);
    assert.equal(parseLogBound('since', String(now / 1000 - 90), now), now - 90_000);
    assert.equal(parseLogBound('since', '10m', now), now - 600_000);
    assert.equal(parseLogBound('until', '1h30m', now), now - 5_400_000);
    assert.throws(() => parseLogBound('since', 'yesterday', now), {
      message: 'invalid value for "since": failed to parse value as time or duration: "yesterday"',
    });
  });

  it('keeps lines at or after since and before until', () => {
    const at = (time: string) => ({ time, stream: 'stdout' as const, text: 'x' });
    const since = Date.parse('2026-12-03T11:00:00Z');
    const until = Date.parse('2026-12-03T11:30:00Z');
    assert.equal(inLogWindow(at('2026-12-03T11:00:00.000000001+00:00'), since, until), true);
    assert.equal(inLogWindow(at('2026-12-03T10:59:59.999999999+00:00'), since, until), false);
    assert.equal(inLogWindow(at('2026-12-03T11:30:00.000000000+00:00'), since, until), false);
  });

  it('prints times in UTC with Z and every digit conmon wrote', () => {
    assert.equal(dockerLogTime('2026-12-03T13:36:27.947467492+00:00'), '2026-12-03T13:36:27.947467492Z');
    assert.equal(dockerLogTime('2026-12-03T15:36:27.947467492+02:00'), '2026-12-03T13:36:27.947467492Z');
    assert.equal(dockerLogTime('2026-12-03T13:36:27Z'), '2026-12-03T13:36:27Z');
  });
});
