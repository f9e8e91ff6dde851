import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { MachineError } from './machineError.js';
import { machinePaths, prepareMachineDirs } from './machinePaths.js';

describe('machine paths', () => {
  it('puts every file of a machine under <root>/machine/<name>, each directory 0700', () => {
    const root = tempDir();
    const paths = machinePaths(root);
    assert.equal(paths.dataDisk, join(root, 'machine', 'default', 'data.img'));
    assert.equal(paths.agentSocket, join(root, 'machine', 'default', 'agent.sock'));
    assert.equal(paths.pidFile, join(root, 'machine', 'default', 'qemu.pid'));
    prepareMachineDirs(paths);
    for (const dir of [paths.base, paths.dir]) assert.equal(statSync(dir).mode & 0o777, 0o700);
  });

  it('refuses a machine directory open to others', () => {
    const root = tempDir();
    mkdirSync(join(root, 'machine', 'default'), { recursive: true, mode: 0o700 });
    chmodSync(join(root, 'machine'), 0o777);
    assert.throws(
      () => prepareMachineDirs(machinePaths(root)),
      (err) => err instanceof MachineError && err.failure === 'unsafe-path' && /closed to others/.test(err.message),
    );
  });

  it('refuses names that are not plain words, and socket paths longer than a unix socket allows', () => {
    assert.throws(() => machinePaths('/r', '../x'), MachineError);
    assert.throws(() => machinePaths(`/${'r'.repeat(100)}`), /longer than a unix socket allows/);
  });
});
