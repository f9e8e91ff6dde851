import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  WSL_TOKEN_FILE,
  type WslDistribution,
  wslAgentArguments,
  wslImportArguments,
  wslTerminateArguments,
  wslTokenArguments,
  wslUnregisterArguments,
} from './wslCommand.js';

const distro: WslDistribution = { name: 'stevedore', installDir: 'C:\\Users\\u\\AppData\\Local\\Stevedore\\wsl' };

describe('WSL command lines', () => {
  it('imports the guest root filesystem as a WSL 2 distribution, its disk in the install directory', () => {
    assert.deepEqual(wslImportArguments(distro, 'C:\\Users\\u\\AppData\\Local\\Stevedore\\guest-rootfs.tar'), [
      '--import',
      'stevedore',
      distro.installDir,
      'C:\\Users\\u\\AppData\\Local\\Stevedore\\guest-rootfs.tar',
      '--version',
      '2',
    ]);
  });

  it('starts the agent as root, without a shell, on the loopback only, its token from a file', () => {
    const args = wslAgentArguments(distro, {
      node: '/opt/stevedore/node',
      cli: '/opt/stevedore/agent/cli.cjs',
      store: '/var/lib/stevedore/store',
      port: 7070,
    });
    assert.deepEqual(args.slice(0, 5), ['--distribution', 'stevedore', '--user', 'root', '--exec']);
    assert.deepEqual(args.slice(5), [
      '/opt/stevedore/node',
      '/opt/stevedore/agent/cli.cjs',
      '--root',
      '/var/lib/stevedore/store',
      'agent',
      '--listen',
      '127.0.0.1:7070',
      '--token-file',
      WSL_TOKEN_FILE,
    ]);
    assert.ok(!args.join(' ').includes('0.0.0.0'));
    assert.throws(() => wslAgentArguments(distro, { node: 'n', cli: 'c', store: 's', port: 0 }), RangeError);
  });

  it('writes the token from stdin, private to root: it is in no command line', () => {
    const args = wslTokenArguments(distro);
    assert.deepEqual(args.slice(0, 6), ['--distribution', 'stevedore', '--user', 'root', '--exec', '/bin/sh']);
    assert.equal(args.at(-1), `umask 077 && mkdir -p /run/stevedore && cat > ${WSL_TOKEN_FILE}`);
  });

  it('stops and removes the distribution by name, and refuses a name that is not one', () => {
    assert.deepEqual(wslTerminateArguments(distro), ['--terminate', 'stevedore']);
    assert.deepEqual(wslUnregisterArguments(distro), ['--unregister', 'stevedore']);
    assert.throws(() => wslTerminateArguments({ ...distro, name: 'a b' }), RangeError);
    assert.throws(() => wslImportArguments({ ...distro, name: '--all' }, 'x.tar'), RangeError);
  });
});
