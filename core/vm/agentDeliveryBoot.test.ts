import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildGuest, defaultGuestCacheDir } from '../../guest/buildGuest.js';
import { tempDir } from '../../testkit/tempDir.js';
import { probeAccelerator } from './accelProbe.js';
import { agentToken } from './agentDelivery.js';
import { type AgentDelivery, type GuestFiles, Machine } from './machine.js';
import { machinePaths } from './machinePaths.js';
import { findQemu, type QemuBinary } from './qemuBinary.js';
import type { Accelerator } from './qemuCommand.js';

let qemu: QemuBinary | undefined;
let noQemu = '';
try {
  qemu = findQemu();
} catch (err) {
  noQemu = (err as Error).message;
  console.log(`# agent delivery boot test skipped: ${noQemu}`);
}

/** A stand-in agent: says where it runs, then that it listens, as `stevedore agent` does. */
function fakeAgent(mark: string): Buffer {
  return Buffer.from(
    `console.log('fake agent ${mark} pid ' + process.pid + ' with ' + process.argv.slice(2).join(' '));\n` +
      `console.log('stevedore agent listening on port 7070');\nsetInterval(() => {}, 1 << 30);\n`,
  );
}

describe("the seed keeps the agent's files on the data disk and runs the agent in its own process", {
  skip: noQemu || false,
}, () => {
  let guest: GuestFiles;
  let accel: Accelerator;

  before(async () => {
    const built = buildGuest({ log: (line) => console.log(`# guest: ${line}`) });
    const file = (a: { path: string }) => join(built.outDir, a.path);
    const { kernel, initrd, rootfs } = built.manifest.artifacts;
    guest = { kernel: file(kernel), initrd: file(initrd), rootfs: file(rootfs), agentVersion: built.manifest.agentVersion };
    const choice = await probeAccelerator({
      qemu: qemu!,
      kernel: guest.kernel,
      cacheFile: join(defaultGuestCacheDir(), 'accelerator.json'),
    });
    accel = choice.accel;
  });

  it('sends a file once, then only what changed or was cut short; the agent is the seed process itself', async () => {
    const root = tempDir('stevedore-vm-');
    const paths = machinePaths(root);
    const library = { path: 'lib/unchanged.js', bytes: Buffer.from('// the same at every boot\n') };
    const boot = async (mark: string): Promise<string> => {
      const delivery: AgentDelivery = {
        token: agentToken(),
        main: 'agent.mjs',
        files: [{ path: 'agent.mjs', bytes: fakeAgent(mark) }, library],
      };
      const m = new Machine({ paths, guest, accel, qemu: qemu!, memoryMiB: 1024, cpus: 2, diskBytes: 2 * 1024 ** 3, delivery });
      const report = await m.start();
      console.log(`# boot to ready: ${Math.round(report.bootMs)} ms (${accel})`);
      const console_ = readFileSync(paths.consoleLog, 'utf8');
      assert.equal((await m.stop()).how, 'powered-off');
      return console_;
    };

    const first = await boot('v1');
    assert.match(first, /stevedore-seed: 2 of 2 agent files to be sent/);
    assert.match(first, /fake agent v1 pid \d+ with --root \/var\/lib\/stevedore\/store agent --listen 0\.0\.0\.0:7070/);
    // One Node process: the agent runs where the seed started.
    const seedPid = /stevedore-seed: started as pid (\d+)/.exec(first)?.[1];
    assert.ok(seedPid, first);
    assert.match(first, new RegExp(`fake agent v1 pid ${seedPid} `));

    const second = await boot('v2');
    assert.match(second, /stevedore-seed: 1 of 2 agent files to be sent/);
    assert.match(second, /fake agent v2 pid/);
    assert.doesNotMatch(second, /fake agent v1/);

    // A kept file cut short (as a crash before its bytes reached the disk would leave it) is sent again.
    const blob = `/agent/blobs/${createHash('sha256').update(library.bytes).digest('hex')}`;
    const cut = spawnSync('debugfs', ['-w', '-R', `sif ${blob} size 3`, paths.dataDisk], { encoding: 'utf8' });
    assert.equal(cut.status, 0, cut.stderr);
    const third = await boot('v2');
    assert.match(third, /stevedore-seed: 1 of 2 agent files to be sent/);
  });
});
