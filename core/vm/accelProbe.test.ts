import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { chooseAccelerator, kernelBootsUnderKvm, kvmDevice, type ProbeSteps, probeAccelerator } from './accelProbe.js';

function steps(device: string | undefined, boots: boolean, calls: string[] = []): ProbeSteps {
  return {
    kvmDevice: () => {
      calls.push('device');
      return device;
    },
    kernelBootsUnderKvm: async (ms) => {
      calls.push(`boot ${ms}`);
      return { ok: boots, detail: boots ? 'to the end of its boot in 300 ms' : `the kernel printed nothing within ${ms} ms` };
    },
  };
}

describe('accelerator probe', () => {
  it('chooses KVM only when a kernel actually boots under it', async () => {
    assert.equal((await chooseAccelerator(steps(undefined, true), 5000)).accel, 'kvm');
  });

  it('falls back to TCG when /dev/kvm opens but no kernel boots (a VM without nested virtualization), and says so', async () => {
    const choice = await chooseAccelerator(steps(undefined, false), 5000);
    assert.equal(choice.accel, 'tcg');
    assert.match(choice.reason, /opens but no kernel boots/);
  });

  it('does not try to boot when /dev/kvm cannot be opened', async () => {
    const calls: string[] = [];
    const choice = await chooseAccelerator(steps('/dev/kvm: EACCES', true, calls), 5000);
    assert.equal(choice.accel, 'tcg');
    assert.match(choice.reason, /EACCES/);
    assert.deepEqual(calls, ['device']);
  });

  it('reports a missing device node by its error code', () => {
    assert.equal(kvmDevice('/nonexistent/kvm'), '/nonexistent/kvm: ENOENT');
  });

  it('keeps its answer for the same QEMU and host boot, and probes again for another QEMU', async () => {
    const cacheFile = join(tempDir(), 'accelerator.json');
    const calls: string[] = [];
    const qemu = { path: '/usr/bin/qemu-system-x86_64', version: 'QEMU emulator version 7.2.22' };
    const first = await probeAccelerator({
      qemu,
      kernel: '/k',
      cacheFile,
      timeoutMs: 1234,
      steps: steps(undefined, false, calls),
    });
    assert.deepEqual([first.accel, first.cached], ['tcg', false]);
    assert.deepEqual(calls, ['device', 'boot 1234']);
    const second = await probeAccelerator({ qemu, kernel: '/k', cacheFile, steps: steps(undefined, true, calls) });
    assert.deepEqual([second.accel, second.cached], ['tcg', true]);
    assert.equal(calls.length, 2, 'no second probe');
    const other = await probeAccelerator({
      qemu: { ...qemu, version: 'QEMU 9' },
      kernel: '/k',
      cacheFile,
      steps: steps(undefined, true, calls),
    });
    assert.deepEqual([other.accel, other.cached], ['kvm', false]);
    assert.equal(JSON.parse(readFileSync(cacheFile, 'utf8')).accel, 'kvm');
  });

  it('says QEMU crashed, with its last words, when it dies of a signal before the time is up', async () => {
    // As QEMU 7.2 does under this host's KVM: an assertion on a model-specific register, SIGABRT.
    const fake = join(tempDir(), 'qemu-aborts');
    writeFileSync(fake, '#!/bin/sh\necho "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69" >&2\nkill -ABRT $$\n');
    chmodSync(fake, 0o755);
    const r = await kernelBootsUnderKvm(fake, '/nonexistent-kernel', 6000);
    assert.equal(r.ok, false);
    assert.match(r.detail, /^QEMU was killed by SIGABRT after \d+ ms: qemu-system-x86_64: error: failed to set MSR/);
  });
});
