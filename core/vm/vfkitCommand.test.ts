import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DATA_DISK_SERIAL, HOST_SHARE_TAG, ROOT_DISK_SERIAL } from './qemuCommand.js';
import { AGENT_VSOCK_PORT, type VfkitMachineSpec, vfkitArguments } from './vfkitCommand.js';

const spec: VfkitMachineSpec = {
  cpus: 2,
  memoryMiB: 2048,
  kernel: '/Users/u/Library/Stevedore/guest/Image',
  initrd: '/Users/u/Library/Stevedore/guest/initrd.img',
  rootDisk: '/Users/u/Library/Stevedore/guest/rootfs.erofs',
  dataDisk: '/Users/u/Library/Stevedore/machine/data.img',
  agentSocket: '/Users/u/Library/Stevedore/run/agent.sock',
  controlSocket: '/Users/u/Library/Stevedore/run/vfkit.sock',
  consoleLog: '/Users/u/Library/Stevedore/machine/console.log',
};

/** Every value given to `option`, in order. */
function values(args: string[], option: string): string[] {
  return args.flatMap((a, i) => (a === option ? [args[i + 1] ?? ''] : []));
}

describe('vfkitArguments', () => {
  it('gives the CPUs and memory asked for, and refuses nonsense', () => {
    const args = vfkitArguments(spec);
    assert.deepEqual(values(args, '--cpus'), ['2']);
    assert.deepEqual(values(args, '--memory'), ['2048']);
    assert.throws(() => vfkitArguments({ ...spec, cpus: 0 }), RangeError);
    assert.throws(() => vfkitArguments({ ...spec, memoryMiB: 100 }), RangeError);
  });

  it('boots the guest kernel and initrd directly, the console on hvc0 written to the log', () => {
    const args = vfkitArguments({ ...spec, kernelArgs: ['loglevel=7'] });
    assert.deepEqual(values(args, '--bootloader'), [
      `linux,kernel=${spec.kernel},initrd=${spec.initrd},cmdline="console=hvc0 panic=-1 quiet loglevel=7"`,
    ]);
    assert.ok(values(args, '--device').includes(`virtio-serial,logFilePath=${spec.consoleLog}`));
  });

  it('attaches both disks under the ids the guest finds them by, as QEMU serials are', () => {
    const devices = values(vfkitArguments(spec), '--device');
    assert.ok(devices.includes(`virtio-blk,path=${spec.rootDisk},deviceId=${ROOT_DISK_SERIAL}`));
    assert.ok(devices.includes(`virtio-blk,path=${spec.dataDisk},deviceId=${DATA_DISK_SERIAL}`));
  });

  it('reaches the agent over vsock through a unix socket the host connects to, and is controlled by a unix socket', () => {
    const args = vfkitArguments(spec);
    assert.ok(values(args, '--device').includes(`virtio-vsock,port=${AGENT_VSOCK_PORT},socketURL=${spec.agentSocket},connect`));
    // No TCP port for vfkit's own service: its default would be tcp://localhost:8081.
    assert.deepEqual(values(args, '--restful-uri'), [`unix://${spec.controlSocket}`]);
  });

  it('shares the host directory by the tag the guest mounts, only when asked', () => {
    assert.ok(!values(vfkitArguments(spec), '--device').some((d) => d.startsWith('virtio-fs')));
    const shared = values(vfkitArguments({ ...spec, hostShare: '/Users/u' }), '--device');
    assert.ok(shared.includes(`virtio-fs,sharedDir=/Users/u,mountTag=${HOST_SHARE_TAG}`));
  });

  it('refuses a path vfkit would cut at a comma, or a relative one, instead of booting something else', () => {
    assert.throws(() => vfkitArguments({ ...spec, dataDisk: '/Users/u/a,b/data.img' }), /comma/);
    assert.throws(() => vfkitArguments({ ...spec, hostShare: 'Users/u' }), /absolute/);
    assert.throws(() => vfkitArguments({ ...spec, kernelArgs: ['x="y"'] }), /double quote/);
  });
});
