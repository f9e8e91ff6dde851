import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DetachKeyScanner, parseDetachKeys } from './attachDetachKeys.js';

it("parses docker's --detach-keys forms and refuses others in one line", () => {
  assert.deepEqual([...parseDetachKeys('ctrl-p,ctrl-q')], [16, 17]);
  assert.deepEqual([...parseDetachKeys('ctrl-@,ctrl-[,ctrl-_,a,X')], [0, 27, 31, 97, 88]);
  assert.throws(() => parseDetachKeys('ctrl-'), /invalid detach keys "ctrl-"/);
  assert.throws(() => parseDetachKeys('ab'), /invalid detach keys/);
});

it('holds back a beginning of the sequence and hands it on when the sequence does not follow', () => {
  const scanner = new DetachKeyScanner(parseDetachKeys('ctrl-p,ctrl-q'));
  assert.deepEqual(scanner.feed(Buffer.from('a\x10')), { forward: Buffer.from('a'), detached: false });
  assert.deepEqual(scanner.feed(Buffer.from('\x10b')), { forward: Buffer.from('\x10\x10b'), detached: false });
  assert.deepEqual(scanner.feed(Buffer.from('c\x10')), { forward: Buffer.from('c'), detached: false });
  assert.deepEqual(scanner.feed(Buffer.from('\x11rest')), { forward: Buffer.alloc(0), detached: true });
});
