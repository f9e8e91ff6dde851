import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shellQuote } from '../../../../core/text/shellQuote';
import { splitCommandLine } from './commandLine';

const split = (text: string) => {
  const r = splitCommandLine(text);
  return r.ok ? r.args : r.problem;
};

describe('splitCommandLine', () => {
  it('splits at blanks, however many', () => {
    assert.deepEqual(split('  echo   hello\tworld '), ['echo', 'hello', 'world']);
    assert.deepEqual(split(''), []);
    assert.deepEqual(split('   '), []);
  });

  it('keeps single-quoted text as it is, $ and all', () => {
    assert.deepEqual(split("sh -c 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done'"), [
      'sh',
      '-c',
      'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done',
    ]);
  });

  it('reads the escapes a double-quoted string allows, and keeps other backslashes', () => {
    assert.deepEqual(split('echo "a \\"b\\" \\$HOME \\n"'), ['echo', 'a "b" $HOME \\n']);
  });

  it('joins quoted and bare parts of one word, and keeps empty quotes as an empty argument', () => {
    assert.deepEqual(split(`a'b c'"d"e '' ""`), ['ab cde', '', '']);
  });

  it('takes a backslash outside quotes as escaping the next character', () => {
    assert.deepEqual(split('touch my\\ file \\"x'), ['touch', 'my file', '"x']);
  });

  it('says what is wrong with an unfinished line', () => {
    assert.match(String(split("echo 'hi")), /single quote \('\) is not closed/);
    assert.match(String(split('echo "hi')), /double quote \("\) is not closed/);
    assert.match(String(split('echo \\')), /lone backslash/);
  });
});

describe('shellQuote (core/api), read back', () => {
  it('quotes only what needs it, and splitCommandLine reads it back', () => {
    const args = ['sh', '-c', "echo 'hi' $HOME", '', 'a b', '/bin/x.y-z', 'k=v'];
    assert.equal(shellQuote(args), `sh -c 'echo '\\''hi'\\'' $HOME' '' 'a b' /bin/x.y-z k=v`);
    assert.deepEqual(split(shellQuote(args)), args);
  });
});
