import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EngineEvent } from '../store/eventJournal.js';
import { eventLine, eventMatches, parseEventFilters } from './eventFilter.js';

const event = (Type: EngineEvent['Type'], Action: string, ID: string, Attributes: Record<string, string> = {}): EngineEvent => ({
  Type,
  Action,
  Actor: { ID, Attributes },
  scope: 'local',
  time: 1_700_000_000,
  timeNano: 1_700_000_000_123_000_000,
});

describe('events --filter and its line', () => {
  const die = event('container', 'die', 'a'.repeat(64), { name: 'web', image: 'busybox', exitCode: '3' });

  it('ORs the values of one key and ANDs the keys, as docker', () => {
    const filters = parseEventFilters(['event=start', 'event=die', 'container=web']);
    assert.equal(eventMatches(die, filters), true);
    assert.equal(eventMatches(die, parseEventFilters(['event=start'])), false);
    assert.equal(eventMatches(die, parseEventFilters(['container=other'])), false);
    assert.equal(eventMatches(die, parseEventFilters(['container=aaaa'])), true, 'an ID prefix');
    assert.equal(eventMatches(die, parseEventFilters(['type=image'])), false);
    assert.equal(eventMatches(die, parseEventFilters(['image=busybox'])), true);
  });

  it('refuses a key it does not know in one line', () => {
    assert.throws(() => parseEventFilters(['label=x']), /^StevedoreError: invalid filter 'label=x'|invalid filter 'label=x'/);
  });

  it('prints docker’s line: nanosecond time (the journal’s milliseconds), type, action, ID, sorted attributes', () => {
    assert.equal(
      eventLine(die),
      `2023-11-14T22:13:20.123000000Z container die ${'a'.repeat(64)} (exitCode=3, image=busybox, name=web)`,
    );
  });
});
