import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildGuest, defaultGuestCacheDir, type GuestManifest } from '../../guest/buildGuest.js';
import { tempDir } from '../../testkit/tempDir.js';
import { probeAccelerator } from './accelProbe.js';
import { type GuestFiles, Machine } from './machine.js';
import { MachineError } from './machineError.js';
import { machinePaths } from './machinePaths.js';
import { findQemu, type QemuBinary } from './qemuBinary.js';
import type { Accelerator } from './qemuCommand.js';

// QEMU is the one thing this test cannot do without; everything else it needs (apt's lists,
// dpkg-deb, mkfs.erofs, mkfs.ext4) is the CI's to provide, so their absence is a failure.
let qemu: QemuBinary | undefined;
let noQemu = '';
try {
  qemu = findQemu();
} catch (err) {
  noQemu = (err as Error).message;
  console.log(`# VM boot test skipped: ${noQemu}`);
}

describe('Machine: the guest boots under QEMU to its agent', { skip: noQemu || false }, () => {
  let guest: GuestFiles;
  let manifest: GuestManifest;
  let accel: Accelerator;

  before(async () => {
    // Built once, then found by the hash of its inputs: a second run does not rebuild.
    const built = buildGuest({ log: (line) => console.log(`# guest: ${line}`) });
    manifest = built.manifest;
    const file = (a: { path: string }) => join(built.outDir, a.path);
    guest = {
      kernel: file(manifest.artifacts.kernel),
      initrd: file(manifest.artifacts.initrd),
      rootfs: file(manifest.artifacts.rootfs),
      agentVersion: manifest.agentVersion,
    };
    const choice = await probeAccelerator({
      qemu: qemu!,
      kernel: guest.kernel,
      cacheFile: join(defaultGuestCacheDir(), 'accelerator.json'),
    });
    accel = choice.accel;
    console.log(`# accelerator: ${accel} (${choice.reason}${choice.cached ? ', probed before' : ''})`);
  });

  function machine(root: string, overrides: Partial<ConstructorParameters<typeof Machine>[0]> = {}): Machine {
    const paths = machinePaths(root);
    return new Machine({ paths, guest, accel, qemu: qemu!, memoryMiB: 1024, cpus: 2, diskBytes: 2 * 1024 ** 3, ...overrides });
  }

  it('boots to the ready line, with the channel private, and powers off cleanly by ACPI', async () => {
    const root = tempDir('stevedore-vm-');
    const m = machine(root);
    const boot = await m.start();
    console.log(`# boot to ready: ${Math.round(boot.bootMs)} ms (${accel}, first boot, new data disk)`);
    assert.equal(boot.agentVersion, manifest.agentVersion);
    assert.match(boot.readyLine, /^stevedore-agent ready \S+ boots=1$/);
    assert.ok(boot.newDisk);
    const paths = machinePaths(root);
    assert.equal(statSync(paths.agentSocket).mode & 0o777, 0o600, 'agent socket 0600');
    assert.equal(statSync(paths.qmpSocket).mode & 0o777, 0o600, 'QMP socket 0600');
    assert.equal(statSync(paths.dir).mode & 0o777, 0o700, 'socket directory 0700');

    const stop = await m.stop();
    console.log(`# ACPI power-off: ${Math.round(stop.ms)} ms`);
    assert.equal(stop.how, 'powered-off');
    assert.equal(m.running, false);
    assert.match(readFileSync(paths.consoleLog, 'utf8'), /data disk put down, powering off/);
  });

  it('boots again after QEMU is SIGKILLed, with the data disk and what it held intact', async () => {
    const root = tempDir('stevedore-vm-');
    const m = machine(root);
    const first = await m.start();
    console.log(`# boot to ready: ${Math.round(first.bootMs)} ms (${accel}, new data disk)`);
    assert.match(first.readyLine, / boots=1$/);
    await m.kill();
    assert.equal(m.running, false);

    const again = await m.start();
    console.log(`# boot to ready: ${Math.round(again.bootMs)} ms (${accel}, after SIGKILL)`);
    assert.equal(again.newDisk, false);
    // The agent read the count it had written (and fsynced) before the kill, and wrote the next.
    assert.match(again.readyLine, / boots=2$/);
    assert.equal((await m.stop()).how, 'powered-off');
  });

  it('says the VM did not boot, with the last lines of its console, when the guest cannot start', async () => {
    const root = tempDir('stevedore-vm-');
    const emptyInitrd = join(root, 'empty-initrd.img');
    writeFileSync(emptyInitrd, '');
    const m = machine(root, { guest: { ...guest, initrd: emptyInitrd } });
    await assert.rejects(m.start(), (err) => {
      assert.ok(err instanceof MachineError);
      assert.equal(err.failure, 'did-not-boot');
      console.log(`# ${err.message}`);
      assert.match(err.message, /^The VM did not boot: QEMU exited.*console ends with: .*Kernel panic/);
      assert.ok(
        err.consoleTail.some((line) => /Kernel panic/.test(line)),
        err.consoleTail.join('\n'),
      );
      return true;
    });
    assert.equal(m.running, false);
  });

  it('gives up at the boot timeout, kills QEMU and says so', async () => {
    const m = machine(tempDir('stevedore-vm-'), { bootTimeoutMs: 300 });
    await assert.rejects(
      m.start(),
      (err) => err instanceof MachineError && err.failure === 'timeout' && /within 0 s/.test(err.message),
    );
    assert.equal(m.running, false);
  });
});
