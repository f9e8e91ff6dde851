import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mayUseRunningEngine, runMayGoThroughEngine } from './inProcessCommands.js';

describe('which commands may go through a running engine', () => {
  it('every contract command may; run, exec, build and the engine’s own stay here', () => {
    assert.deepEqual(
      ['ps', 'images', 'volume', 'run', 'exec', 'build', 'daemon'].map((name) => [name, mayUseRunningEngine(name)]),
      [
        ['ps', true],
        ['images', true],
        ['volume', true],
        ['run', false],
        ['exec', false],
        ['build', false],
        ['daemon', false],
      ],
    );
  });

  it('a run with output alone or detached may; -i and -t in any spelling keep it here', () => {
    for (const args of [
      ['--rm', 'box', 'true'],
      ['-d', 'box'],
      ['--detach', '--name', 'web', 'box'],
      ['--detach=true', 'box'],
      ['--rm', '--network', 'none', '-e', 'A=1', '-p', '8080:80', 'box', 'sh', '-c', 'echo hi'],
      ['--name', 'web', '-w', '/srv', '-u', '1000', 'box'],
    ]) {
      assert.equal(runMayGoThroughEngine(args), true, args.join(' '));
    }
    for (const args of [
      ['-it', 'box', 'sh'],
      ['-ti', 'box'],
      ['-i', 'box'],
      ['-t', 'box'],
      ['--rm', '-dit', 'box'],
      ['-di', 'box'],
      ['--interactive', 'box'],
      ['--tty', 'box'],
      ['--tty=true', 'box'],
    ]) {
      assert.equal(runMayGoThroughEngine(args), false, args.join(' '));
    }
  });
});
