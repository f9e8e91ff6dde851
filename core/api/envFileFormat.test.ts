import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvFile } from './envFileFormat.js';

const none = () => undefined;

// docker's rules for --env-file (docker/cli opts: parseKeyValueFile), which the CLI and the engine
// (the app's Run dialog) both follow.
describe('parseEnvFile (docker’s --env-file format)', () => {
  it('skips blank lines and comments, and keeps KEY=VALUE lines in order', () => {
    assert.deepEqual(parseEnvFile('# a comment\n\nA=1\n   # indented comment\n\t\nB=2\n', none), ['A=1', 'B=2']);
  });

  it('passes the value through: no quote stripping, no trimming, later = kept, empty kept', () => {
    const text = 'Q="quoted"\nS=\'single\'\nT=  both sides  \nE=x=y\nEMPTY=\nH=#not a comment\n';
    assert.deepEqual(parseEnvFile(text, none), [
      'Q="quoted"',
      "S='single'",
      'T=  both sides  ',
      'E=x=y',
      'EMPTY=',
      'H=#not a comment',
    ]);
  });

  it('trims the whitespace before a line, and reads CRLF lines and a leading byte order mark', () => {
    assert.deepEqual(parseEnvFile('\uFEFFA=1\r\n  \tB=2\r\n', none), ['A=1', 'B=2']);
  });

  it('gives a bare KEY the caller’s value, and drops it when the caller has none', () => {
    const caller: Record<string, string> = { HAS: 'from caller', EMPTY: '' };
    const lookup = (name: string) => caller[name];
    assert.deepEqual(parseEnvFile('HAS\n  EMPTY\nMISSING\nA=1\n', lookup), ['HAS=from caller', 'EMPTY=', 'A=1']);
  });

  it('refuses a name with whitespace in it and a line with no name, saying which line', () => {
    assert.throws(() => parseEnvFile('A=1\nB = two\n', none), {
      code: 'INVALID_ARGUMENT',
      message: "line 2: variable 'B ' contains whitespace",
    });
    assert.throws(() => parseEnvFile('=x\n', none), { code: 'INVALID_ARGUMENT', message: "line 1: no variable name in '=x'" });
  });
});
