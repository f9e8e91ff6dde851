import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { MachineError } from './machineError.js';
import { machinePaths, prepareMachineDirs } from './machinePaths.js';

describe('machine paths', () => {
  it('puts the disk under the data directory and the sockets in a private runtime directory, each 0700', () => {
    const root = tempDir();
    const paths = machinePaths('default', { dataHome: join(root, 'data'), runtimeDir: join(root, 'run') });
    assert.equal(paths.dataDisk, join(root, 'data', 'stevedore', 'machines', 'default', 'data.img'));
    assert.equal(paths.agentSocket, join(root, 'run', 'stevedore-vm', 'default', 'agent.sock'));
    prepareMachineDirs(paths);
    for (const dir of [paths.dir, paths.runDir]) assert.equal(statSync(dir).mode & 0o777, 0o700);
  });

  it('refuses a runtime directory open to others (as one made first in a shared /tmp would be)', () => {
    const root = tempDir();
    const runtimeDir = join(root, 'run');
    mkdirSync(join(runtimeDir, 'stevedore-vm', 'default'), { recursive: true });
    chmodSync(join(runtimeDir, 'stevedore-vm'), 0o777);
    const paths = machinePaths('default', { dataHome: join(root, 'data'), runtimeDir });
    assert.throws(
      () => prepareMachineDirs(paths),
      (err) => err instanceof MachineError && err.failure === 'unsafe-path' && /closed to others/.test(err.message),
    );
  });

  it('refuses names that are not plain words, and socket paths longer than a unix socket allows', () => {
    assert.throws(() => machinePaths('../x'), MachineError);
    assert.throws(
      () => machinePaths('default', { dataHome: '/d', runtimeDir: `/${'r'.repeat(100)}` }),
      /longer than a unix socket allows/,
    );
  });
});
