import assert from 'node:assert/strict';
import { test } from 'node:test';
import { middleTruncate } from './middleTruncate';

/** One unit per character: "fits" in `width` characters. */
const within = (width: number) => (s: string) => s.length <= width;
const name = '127.0.0.1:5612/platform-team/services/alpha';
const keepFrom = name.lastIndexOf('/') + 1;

test('a name that fits is left whole', () => {
  assert.equal(middleTruncate(name, keepFrom, within(name.length)), name);
});

test('a name that does not fit keeps its last part and as much of its start as fits', () => {
  const cut = middleTruncate(name, keepFrom, within(20));
  assert.equal(cut, '127.0.0.1:5612…alpha');
  assert.equal(cut.length, 20);
  assert.ok(cut.endsWith('alpha'));
});

test('when the last part alone does not fit, it is cut from its start', () => {
  assert.equal(middleTruncate(name, keepFrom, within(4)), '…pha');
  assert.equal(middleTruncate(name, keepFrom, within(1)), '…');
});

test('a name without a separator to keep from is cut before its end', () => {
  assert.equal(middleTruncate('abcdefghij', 0, within(5)), '…ghij');
});
