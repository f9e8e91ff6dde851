import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { daemonDisabled, engineSocketPath, socketPathFits } from '../../server/endpoint.js';
import { resolveRoot } from '../../store/layout.js';
import { parseClientArgs } from './args.js';

const env = { STEVEDORE_ROOT: '/srv/store' };

describe('the command lines the thin client takes', () => {
  it('reads pull with its options in any order, as commander does', () => {
    assert.deepEqual(parseClientArgs(['pull', 'busybox'], env), {
      command: 'pull',
      root: '/srv/store',
      socket: '/srv/store/engine.sock',
      insecure: false,
      ref: 'busybox',
      platform: undefined,
      allPlatforms: false,
    });
    assert.deepEqual(
      parseClientArgs(['--root', 'rel', 'pull', '--insecure', 'h:5000/a:1', '--platform', 'linux/arm64', '--all-platforms'], env),
      {
        command: 'pull',
        root: resolve('rel'),
        socket: join(resolve('rel'), 'engine.sock'),
        insecure: true,
        ref: 'h:5000/a:1',
        platform: 'linux/arm64',
        allPlatforms: true,
      },
    );
    assert.equal(parseClientArgs(['pull', '--platform=linux/arm/v7', 'a', '--platform', 'linux/amd64'], env)?.command, 'pull');
    assert.equal(
      (parseClientArgs(['pull', '--platform=linux/arm/v7', 'a'], env) as { platform: string }).platform,
      'linux/arm/v7',
    );
    assert.equal((parseClientArgs(['pull', '--', 'a'], env) as { ref: string }).ref, 'a');
  });

  it('reads push with and without a remote', () => {
    assert.deepEqual(parseClientArgs(['--root=/r', 'push', 'app:1', 'h:5000/app:1', '--insecure'], env), {
      command: 'push',
      root: '/r',
      socket: '/r/engine.sock',
      insecure: true,
      local: 'app:1',
      remote: 'h:5000/app:1',
    });
    assert.equal((parseClientArgs(['push', 'h:5000/app:1'], env) as { remote?: string }).remote, undefined);
  });

  it('resolves the root exactly as the full CLI does', () => {
    for (const e of [{}, { STEVEDORE_ROOT: 'relative' }, { XDG_DATA_HOME: '/data' }, { STEVEDORE_ROOT: '', XDG_DATA_HOME: '' }]) {
      assert.equal(parseClientArgs(['pull', 'a'], e)?.root, resolveRoot(undefined, e));
      assert.equal(parseClientArgs(['--root', '', 'pull', 'a'], e)?.root, resolveRoot('', e));
    }
    assert.equal(parseClientArgs(['--root', 'x', '--root', 'y', 'pull', 'a'], env)?.root, resolve('y'));
  });

  it('leaves to the full CLI whatever it does not fully understand', () => {
    for (const args of [
      [],
      ['images'],
      ['--version'],
      ['--root'],
      ['-h', 'pull', 'a'],
      ['pull'],
      ['pull', 'a', 'b'],
      ['pull', '--help'],
      ['pull', 'a', '-h'],
      ['pull', '--platform'],
      ['pull', '--platform=', 'a'],
      ['pull', '--platform', '', 'a'],
      ['pull', '--insecure=1', 'a'],
      ['pull', '--unknown', 'a'],
      ['pull', '--insecur', 'a'],
      ['pull', 'a', '--root', 'x'],
      ['pull', ''],
      ['push'],
      ['push', 'a', 'b', 'c'],
      ['push', 'a', ''],
      ['push', '--platform', 'linux/amd64', 'a'],
      ['push', '--all-platforms', 'a'],
      ['pul', 'a'],
    ]) {
      assert.equal(parseClientArgs(args, env), undefined, args.join(' '));
    }
  });

  it('STEVEDORE_NO_DAEMON=1 forces every command in-process', () => {
    assert.equal(parseClientArgs(['pull', 'a'], { ...env, STEVEDORE_NO_DAEMON: '1' }), undefined);
    assert.equal(parseClientArgs(['push', 'a'], { ...env, STEVEDORE_NO_DAEMON: 'yes' }), undefined);
    assert.notEqual(parseClientArgs(['pull', 'a'], { ...env, STEVEDORE_NO_DAEMON: '0' }), undefined);
    assert.notEqual(parseClientArgs(['pull', 'a'], { ...env, STEVEDORE_NO_DAEMON: '' }), undefined);
    assert.equal(daemonDisabled({ STEVEDORE_NO_DAEMON: '1' }), true);
    assert.equal(daemonDisabled({}), false);
  });

  it('has no engine socket where the path would not fit a unix socket', () => {
    const deep = `/${'d'.repeat(120)}`;
    assert.equal(socketPathFits(engineSocketPath(deep)), false);
    assert.equal(parseClientArgs(['--root', deep, 'pull', 'a'], env), undefined);
    assert.equal(socketPathFits(engineSocketPath('/srv/store')), true);
  });
});
