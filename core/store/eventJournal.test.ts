import assert from 'node:assert/strict';
import { appendFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { JOURNAL_MAX_BYTES, JournalReader, journalPaths, recordEvent } from './eventJournal.js';

describe('the event journal', () => {
  it('keeps docker’s event shape, one line each, in the order written', () => {
    const root = tempDir();
    recordEvent(
      root,
      { Type: 'container', Action: 'start', id: 'abc', attributes: { name: 'web', image: 'busybox' } },
      1_700_000_000_123,
    );
    recordEvent(root, { Type: 'volume', Action: 'create', id: 'data' }, 1_700_000_001_000);
    const [start, volume] = new JournalReader(root).readAll();
    assert.deepEqual(start, {
      status: 'start',
      id: 'abc',
      from: 'busybox',
      Type: 'container',
      Action: 'start',
      Actor: { ID: 'abc', Attributes: { name: 'web', image: 'busybox' } },
      scope: 'local',
      time: 1_700_000_000,
      timeNano: 1_700_000_000_123_000_000,
    });
    assert.equal(volume?.Actor.ID, 'data');
    assert.equal(volume?.status, undefined);
  });

  it('stays bounded: past the limit the file is cut, one old file kept, and a follower reads across the cut', () => {
    const root = tempDir();
    const { current, previous } = journalPaths(root);
    const reader = new JournalReader(root);
    assert.deepEqual(reader.readNew(), []);
    const big = 'x'.repeat(4096);
    const lineBytes = JSON.stringify({ pad: big }).length + 200;
    // Read less often than the file is cut, but not so seldom that it is cut twice in between.
    const readEvery = Math.floor(JOURNAL_MAX_BYTES / lineBytes / 2);
    let written = 0;
    let seen = 0;
    while (written * lineBytes <= JOURNAL_MAX_BYTES * 3) {
      recordEvent(root, { Type: 'container', Action: 'create', id: `c${written}`, attributes: { pad: big } });
      written++;
      if (written % readEvery === 0) seen += reader.readNew().length;
    }
    seen += reader.readNew().length;
    assert.equal(seen, written, 'the follower saw every event, across the cuts');
    assert.ok(statSync(current).size <= JOURNAL_MAX_BYTES + lineBytes);
    assert.ok(statSync(previous).size <= JOURNAL_MAX_BYTES + lineBytes);
    // Reading everything kept gives at most the two files' worth, the newest last.
    const kept = new JournalReader(root).readAll();
    assert.ok(kept.length < written);
    assert.equal(kept.at(-1)?.Actor.ID, `c${written - 1}`);
  });

  it('skips a line cut short by a crash and keeps a line still being written for the next read', () => {
    const root = tempDir();
    const reader = new JournalReader(root);
    recordEvent(root, { Type: 'container', Action: 'start', id: 'one' });
    appendFileSync(journalPaths(root).current, '{"Type":"contai');
    assert.deepEqual(
      reader.readNew().map((e) => e.Actor.ID),
      ['one'],
    );
    appendFileSync(journalPaths(root).current, 'ner"}\n');
    recordEvent(root, { Type: 'container', Action: 'die', id: 'two' });
    assert.deepEqual(
      reader.readNew().map((e) => e.Action),
      [undefined, 'die'],
    );
  });
});
