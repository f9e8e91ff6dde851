import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { highlight, lineMatches, logTime } from './logText';

const marked = (line: string, needle: string) =>
  highlight(line, needle)
    .map((s) => (s.match ? `[${s.text}]` : s.text))
    .join('');

describe('log text', () => {
  it('marks every occurrence, whatever the case, keeping the line’s own case', () => {
    assert.equal(marked('Tick tick TICK', 'tick'), '[Tick] [tick] [TICK]');
    assert.equal(marked('aaa', 'aa'), '[aa]a');
    assert.equal(marked('no match here', 'xyz'), 'no match here');
    assert.equal(marked('', ''), '');
    assert.equal(marked('whole', ''), 'whole');
    assert.equal(marked('tick', 'tick'), '[tick]');
  });

  it('matches lines by the same rule', () => {
    assert.ok(lineMatches('Error: boom', 'error'));
    assert.ok(lineMatches('anything', ''));
    assert.ok(!lineMatches('tick 1', 'tock'));
  });

  it('prints log times in local time to the millisecond', () => {
    const iso = '2025-05-01T12:00:00.123456789Z';
    const t = new Date(iso);
    assert.match(logTime(iso), /^2025-05-0[12] \d\d:00:00\.123$/);
    assert.ok(logTime(iso).includes(`${String(t.getHours()).padStart(2, '0')}:00:00.123`));
    assert.equal(logTime('not a time'), 'not a time');
  });
});
