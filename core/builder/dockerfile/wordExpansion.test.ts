// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dockerfile text, where ${…} is the syntax under test
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpansionError, expand, expandWord, expandWords } from './wordExpansion.js';

const vars = new Map([
  ['a', 'A'],
  ['empty', ''],
  ['spaced', 'x  y'],
  ['path', '/usr/local/lib/file.tar.gz'],
]);

describe("Docker's word expansion", () => {
  const cases: [string, string][] = [
    ['$a', 'A'],
    ['${a}', 'A'],
    ['pre${a}post', 'preApost'],
    ['$a-$a', 'A-A'],
    ['$unset', ''],
    ['${unset:-def}', 'def'],
    ['${empty:-def}', 'def'],
    ['${empty-def}', ''],
    ['${unset-def}', 'def'],
    ['${a:+alt}', 'alt'],
    ['${empty:+alt}', ''],
    ['${empty+alt}', 'alt'],
    ['${unset+alt}', ''],
    ['${unset:-$a}', 'A'],
    ['${unset:-${unset2:-deep}}', 'deep'],
    ['${unset:-a b}', 'a b'],
    ['${unset:-"q}"}', 'q}'],
    ['\\$a', '$a'],
    ['\\${a}', '${a}'],
    ["'$a'", '$a'],
    ['"$a"', 'A'],
    ['"\\$a"', '$a'],
    ['"a\\b"', 'a\\b'],
    ['"say \\"hi\\""', 'say "hi"'],
    ['"it\'s"', "it's"],
    ["'a\"b'", 'a"b'],
    ['a\\ b', 'a b'],
    ['$', '$'],
    ['a$', 'a$'],
    ['$$', ''],
    ['$1x', 'x'],
    ['${path#*/}', 'usr/local/lib/file.tar.gz'],
    ['${path##*/}', 'file.tar.gz'],
    ['${path%.*}', '/usr/local/lib/file.tar'],
    ['${path%%.*}', '/usr/local/lib/file'],
    ['${path/lib/LIB}', '/usr/local/LIB/file.tar.gz'],
    ['${path//l/L}', '/usr/LocaL/Lib/fiLe.tar.gz'],
  ];
  for (const [word, expected] of cases) {
    it(`${word} → ${JSON.stringify(expected)}`, () => assert.equal(expandWord(word, vars), expected));
  }

  it('splits into words after substitution, keeping quoted spaces', () => {
    assert.deepEqual(expandWords('$spaced "q  r" s\\ t', vars), ['x', 'y', 'q  r', 's t']);
    assert.equal(expandWord('$spaced', vars), 'x  y');
  });

  it('uses the backtick as escape under escape=`', () => {
    assert.equal(expandWord('`$a \\$a', vars, { escape: '`' }), '$a \\A');
  });

  it('keeps unset variables and quotes when asked (heredoc detection)', () => {
    assert.equal(expandWord('$unset ${unset:-x} "$a"', vars, { keepUnset: true, rawQuotes: true }), '$unset ${unset:-x} "A"');
  });

  it('treats quotes as plain characters in heredoc bodies', () => {
    assert.equal(expandWord('echo "$a" \'$a\'\n', vars, { literalQuotes: true }), 'echo "A" \'A\'\n');
  });

  it('reports the names used and those not set', () => {
    const result = expand('$a ${unset:-$empty}', vars);
    assert.deepEqual([...result.used].sort(), ['a', 'empty']);
    assert.deepEqual([...result.unset], ['unset']);
  });

  it('refuses malformed substitutions in one sentence', () => {
    const bad: [string, RegExp][] = [
      ['${a', /missing '}'/],
      ['${}', /bad substitution/],
      ['${:-x}', /bad substitution/],
      ['${a*}', /unsupported modifier \(\*\)/],
      ['${a:x}', /unsupported modifier \(:x\)/],
      ['${unset:?must be set}', /unset: must be set/],
      ['${empty:?}', /empty: is not allowed to be empty/],
      ["'open", /matching single-quote/],
      ['"open', /matching double-quote/],
    ];
    for (const [word, message] of bad) {
      assert.throws(
        () => expandWord(word, vars),
        (err: unknown) => err instanceof ExpansionError && message.test(err.message) && err.message.includes(`"${word}"`),
        word,
      );
    }
  });
});
