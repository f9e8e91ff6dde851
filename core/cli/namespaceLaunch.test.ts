import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseRuntime } from '../vm/chooseRuntime.js';
import { namespaceLaunch } from './namespaceLaunch.js';

const host = { blocker: null, range: { uid: { start: 100000, count: 65536 }, gid: { start: 100000, count: 65536 } } };
/** chooseRuntime for a normal user on Linux whose user namespaces work (or are blocked). */
const asUser =
  (blocker: string | null = null, inRootlessNamespace = false): typeof chooseRuntime =>
  (asked) =>
    chooseRuntime(asked, { platform: 'linux', uid: 1000, inRootlessNamespace, rootless: () => ({ ...host, blocker }) });
const env = { XDG_DATA_HOME: '/home/u/.local/share' };

describe('namespaceLaunch: which commands the launcher starts inside the user namespace', () => {
  it('a command of a normal user on Linux, with the store root the CLI would take', () => {
    const launch = namespaceLaunch(['--root', 'store', 'run', '--rm', 'box', 'true'], env, asUser());
    assert.ok(launch);
    assert.equal(launch.root, `${process.cwd()}/store`);
    assert.equal(launch.host.range?.uid.count, 65536);
    assert.match(launch.reason, /user namespaces work/);
    assert.equal(namespaceLaunch(['images'], env, asUser())?.root, '/home/u/.local/share/stevedore');
    assert.equal(namespaceLaunch(['--root=/s', '--runtime=rootless', 'ps'], env, asUser())?.root, '/s');
    assert.equal(namespaceLaunch(['ps'], { ...env, STEVEDORE_ROOT: '/r' }, asUser())?.root, '/r');
  });

  it('not help, the version, another runtime, a blocked host, one already inside, or options it does not know', () => {
    for (const args of [[], ['--version'], ['-h'], ['help', 'run'], ['--root'], ['--debug', 'ps'], ['--runtime', 'vm', 'ps']])
      assert.equal(namespaceLaunch(args, env, asUser()), null, args.join(' '));
    assert.equal(namespaceLaunch(['ps'], { ...env, STEVEDORE_RUNTIME: 'native' }, asUser()), null);
    // An invalid runtime is the CLI's to refuse, in its words.
    assert.equal(namespaceLaunch(['--runtime', 'nope', 'ps'], env, asUser()), null);
    assert.equal(namespaceLaunch(['ps'], env, asUser('newuidmap is not installed')), null);
    assert.equal(namespaceLaunch(['ps'], env, asUser(null, true)), null);
  });
});
