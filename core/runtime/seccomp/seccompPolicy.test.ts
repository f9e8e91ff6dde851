import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StevedoreError } from '../../errors.js';
import { DEFAULT_CAPABILITIES } from '../runtimeSpec.js';
import { CLONE_NAMESPACE_FLAGS } from './defaultPolicy.js';
import { kernelAtLeast, type LinuxSeccomp, seccompChoice, seccompFor } from './seccompPolicy.js';

const x86 = { arch: 'x86_64', kernel: '6.1.0-18-amd64' } as const;
const arm = { arch: 'aarch64', kernel: '6.1.0-18-arm64' } as const;

function allowed(seccomp: LinuxSeccomp | undefined, name: string) {
  return (seccomp?.syscalls ?? []).filter((s) => s.names.includes(name));
}

describe('the default seccomp policy', () => {
  const policy = seccompFor('default', DEFAULT_CAPABILITIES, x86);

  it('refuses what is not listed with EPERM, for x86_64 and its compat arches', () => {
    assert.equal(policy?.defaultAction, 'SCMP_ACT_ERRNO');
    assert.equal(policy?.defaultErrnoRet, 1);
    assert.deepEqual(policy?.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86']);
    assert.deepEqual(seccompFor('default', DEFAULT_CAPABILITIES, arm)?.architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  });

  it('allows ordinary calls, and no mounts nor namespaces without CAP_SYS_ADMIN', () => {
    for (const name of ['read', 'openat', 'execve', 'socketpair', 'arch_prctl'])
      assert.ok(allowed(policy, name).length > 0, name);
    for (const name of ['mount', 'umount2', 'unshare', 'setns', 'bpf', 'keyctl', 'add_key', 'kexec_load', 'open_by_handle_at']) {
      assert.deepEqual(allowed(policy, name), [], name);
    }
  });

  it('lets clone make processes but no namespace, and answers clone3 ENOSYS', () => {
    assert.deepEqual(allowed(policy, 'clone'), [
      {
        names: ['clone'],
        action: 'SCMP_ACT_ALLOW',
        args: [{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
      },
    ]);
    assert.equal(CLONE_NAMESPACE_FLAGS, 2114060288);
    assert.deepEqual(allowed(policy, 'clone3'), [{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]);
  });

  it('gives the capability-bound calls with the capability, as docker does', () => {
    const admin = seccompFor('default', [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'], x86);
    assert.deepEqual(
      allowed(admin, 'clone').map((s) => s.args),
      [undefined],
    );
    assert.deepEqual(
      allowed(admin, 'clone3').map((s) => s.action),
      ['SCMP_ACT_ALLOW'],
    );
    assert.ok(allowed(admin, 'mount').length > 0);
    // CAP_SYS_CHROOT is in the default set.
    assert.ok(allowed(policy, 'chroot').length > 0);
    assert.deepEqual(allowed(policy, 'reboot'), []);
  });

  it('allows only the harmless personalities and socket families', () => {
    assert.deepEqual(
      allowed(policy, 'personality').map((s) => s.args?.[0]?.value),
      [0, 8, 0x20000, 0x20008, 0xffffffff],
    );
    assert.deepEqual(
      allowed(policy, 'socket').map((s) => s.args?.[0]),
      [
        { index: 0, value: 38, op: 'SCMP_CMP_LT' },
        { index: 0, value: 39, op: 'SCMP_CMP_EQ' },
        { index: 0, value: 40, op: 'SCMP_CMP_GT' },
      ],
    );
  });

  it('keeps the arch-specific calls to their arch, and ptrace to kernels from 4.8', () => {
    const armPolicy = seccompFor('default', DEFAULT_CAPABILITIES, arm);
    assert.deepEqual(allowed(armPolicy, 'arch_prctl'), []);
    assert.ok(allowed(armPolicy, 'cacheflush').length > 0);
    assert.deepEqual(allowed(policy, 'cacheflush'), []);
    assert.ok(allowed(policy, 'ptrace').length > 0);
    assert.deepEqual(allowed(seccompFor('default', DEFAULT_CAPABILITIES, { ...x86, kernel: '4.4.0' }), 'ptrace'), []);
    assert.equal(kernelAtLeast('4.10.1', '4.8'), true);
    assert.equal(kernelAtLeast('3.19.0', '4.8'), false);
  });
});

describe('--security-opt seccomp=', () => {
  it('unconfined is no policy; a docker profile is resolved for the host and the capabilities', () => {
    assert.equal(seccompFor(seccompChoice(['seccomp=unconfined']), DEFAULT_CAPABILITIES, x86), undefined);
    const profile = JSON.stringify({
      defaultAction: 'SCMP_ACT_ERRNO',
      archMap: [
        { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86'] },
        { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
      ],
      syscalls: [
        { names: ['read'], action: 'SCMP_ACT_ALLOW' },
        { names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['amd64'] } },
        { names: ['mount'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } },
        { name: 'clone', action: 'SCMP_ACT_ALLOW', excludes: { caps: ['CAP_SYS_ADMIN'] } },
      ],
    });
    const choice = seccompChoice([`seccomp=${profile}`]);
    assert.deepEqual(seccompFor(choice, DEFAULT_CAPABILITIES, x86), {
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
      syscalls: [
        { names: ['read'], action: 'SCMP_ACT_ALLOW' },
        { names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW' },
        { names: ['clone'], action: 'SCMP_ACT_ALLOW' },
      ],
    });
    assert.deepEqual(
      seccompFor(choice, DEFAULT_CAPABILITIES, arm)?.syscalls.map((s) => s.names[0]),
      ['read', 'clone'],
    );
  });

  it('refuses other options and bad profiles in one sentence', () => {
    assert.throws(() => seccompChoice(['label=disable']), StevedoreError);
    assert.throws(() => seccompChoice(['seccomp={"defaultAction":"SCMP_ACT_NOTIFY"}']), /seccomp profile given is not valid/);
    assert.throws(
      () => seccompChoice(['seccomp={"defaultAction":"SCMP_ACT_ALLOW","architectures":["x"],"archMap":[{"architecture":"x"}]}']),
      /both 'architectures' and 'archMap'/,
    );
  });
});
