import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AGENT_PORT_NAME, kernelCommandLine, type QemuMachineSpec, qemuArguments, qemuOptionValue } from './qemuCommand.js';

const spec: QemuMachineSpec = {
  accel: 'tcg',
  cpus: 2,
  memoryMiB: 1024,
  kernel: '/g/vmlinux',
  initrd: '/g/initrd.img',
  rootDisk: '/g/rootfs.erofs',
  dataDisk: '/m/data.img',
  agentSocket: '/run/u/agent.sock',
  qmpSocket: '/run/u/qmp.sock',
  consoleLog: '/m/console.log',
};

/** Every value given to `option`, in order. */
function values(args: string[], option: string): string[] {
  return args.flatMap((a, i) => (a === option ? [args[i + 1] ?? ''] : []));
}

describe('qemuArguments', () => {
  it('takes nothing from QEMU defaults or config files, shows no display, and exits when the guest reboots', () => {
    const args = qemuArguments(spec);
    for (const flag of ['-no-user-config', '-nodefaults', '-no-reboot']) assert.ok(args.includes(flag), flag);
    assert.deepEqual(values(args, '-display'), ['none']);
    assert.match(values(args, '-sandbox')[0] ?? '', /^on,.*spawn=deny/);
  });

  it('names the accelerator and a CPU model that fits it', () => {
    assert.deepEqual(values(qemuArguments(spec), '-accel'), ['tcg,thread=single']);
    assert.deepEqual(values(qemuArguments(spec), '-cpu'), ['max']);
    assert.deepEqual(values(qemuArguments({ ...spec, accel: 'kvm' }), '-accel'), ['kvm']);
    assert.deepEqual(values(qemuArguments({ ...spec, accel: 'kvm' }), '-cpu'), ['host']);
  });

  it("boots through the firmware it is given, else QEMU's own", () => {
    assert.deepEqual(values(qemuArguments(spec), '-bios'), []);
    assert.deepEqual(values(qemuArguments({ ...spec, firmware: '/usr/share/qemu/qboot.rom' }), '-bios'), [
      '/usr/share/qemu/qboot.rom',
    ]);
  });

  it('gives the memory and CPUs asked for, and refuses nonsense', () => {
    const args = qemuArguments({ ...spec, accel: 'kvm', cpus: 4, memoryMiB: 2048 });
    assert.deepEqual(values(args, '-m'), ['2048M']);
    assert.deepEqual(values(args, '-smp'), ['4']);
    assert.throws(() => qemuArguments({ ...spec, cpus: 0 }), RangeError);
    assert.throws(() => qemuArguments({ ...spec, cpus: 1.5 }), RangeError);
    assert.throws(() => qemuArguments({ ...spec, memoryMiB: 64 }), RangeError);
  });

  it('gives a TCG guest one vCPU, since one host thread runs them all', () => {
    // A second vCPU under thread=single adds no throughput, only its bring-up at boot (~0.7 s here).
    assert.deepEqual(values(qemuArguments({ ...spec, cpus: 4 }), '-smp'), ['1']);
    assert.deepEqual(values(qemuArguments({ ...spec, accel: 'kvm', cpus: 4 }), '-smp'), ['4']);
    assert.throws(() => qemuArguments({ ...spec, cpus: 0 }), RangeError);
  });

  it('boots the guest kernel and initramfs directly, console on the serial port', () => {
    const args = qemuArguments({ ...spec, kernelArgs: ['loglevel=7'] });
    assert.deepEqual(values(args, '-kernel'), ['/g/vmlinux']);
    assert.deepEqual(values(args, '-initrd'), ['/g/initrd.img']);
    assert.deepEqual(values(args, '-append'), [kernelCommandLine(['loglevel=7'])]);
    assert.match(kernelCommandLine(), /(^| )console=ttyS0( |$)/);
    assert.match(kernelCommandLine(), /(^| )panic=-1( |$)/);
    // The IO-APIC timer check panicked boots on a loaded host under TCG; the self-tests only cost time.
    assert.match(kernelCommandLine(), /(^| )no_timer_check( |$)/);
    assert.match(kernelCommandLine(), /(^| )cryptomgr\.notests( |$)/);
    assert.deepEqual(values(args, '-serial'), ['chardev:console']);
    assert.ok(values(args, '-chardev').includes('file,id=console,path=/m/console.log'));
  });

  it('attaches the root disk read-only and the data disk read-write, each with the serial the init looks for', () => {
    const args = qemuArguments(spec);
    const drives = values(args, '-drive');
    const root = drives.find((d) => d.includes('id=root'));
    const data = drives.find((d) => d.includes('id=data'));
    assert.match(root ?? '', /readonly=on/);
    assert.match(root ?? '', /file=\/g\/rootfs\.erofs$/);
    assert.doesNotMatch(data ?? '', /readonly/);
    assert.match(data ?? '', /format=raw/);
    assert.match(data ?? '', /file=\/m\/data\.img$/);
    const devices = values(args, '-device');
    assert.ok(devices.includes('virtio-blk-pci,drive=root,serial=stevedore-root'));
    assert.ok(devices.includes('virtio-blk-pci,drive=data,serial=stevedore-data'));
  });

  it('serves the agent channel as a virtio-serial port on a unix socket, and QMP on another', () => {
    const args = qemuArguments(spec);
    const chardevs = values(args, '-chardev');
    assert.ok(chardevs.includes('socket,id=agent,path=/run/u/agent.sock,server=on,wait=off'));
    assert.ok(chardevs.includes('socket,id=qmp,path=/run/u/qmp.sock,server=on,wait=off'));
    assert.ok(values(args, '-device').includes(`virtserialport,bus=vser.0,chardev=agent,name=${AGENT_PORT_NAME}`));
    assert.deepEqual(values(args, '-mon'), ['chardev=qmp,mode=control']);
    // Without an agent port: no network device and no port of any kind.
    assert.ok(!args.some((a) => /^-(nic|net|netdev)$/.test(a) || /hostfwd|tcp:|telnet/.test(a)));
  });

  it("forwards only the host's loopback to the agent, and gives the guest no other way in", () => {
    const args = qemuArguments({ ...spec, agentHostPort: 41234 });
    const netdevs = values(args, '-netdev');
    assert.equal(netdevs.length, 1);
    assert.match(netdevs[0]!, /^user,id=net,/);
    const forwards = netdevs[0]!.match(/hostfwd=[^,]*/g) ?? [];
    assert.deepEqual(forwards, ['hostfwd=tcp:127.0.0.1:41234-10.0.2.15:7070']);
    assert.ok(values(args, '-device').includes('virtio-net-pci,netdev=net'));
    assert.throws(() => qemuArguments({ ...spec, agentHostPort: 70000 }), /1-65535/);
  });

  it('shares the host files through virtiofs only when a share socket is given, with memory it can reach', () => {
    assert.ok(!qemuArguments(spec).some((a) => /vhost-user|memfd/.test(a)));
    const args = qemuArguments({ ...spec, hostShareSocket: '/run/u/share.sock' });
    assert.ok(values(args, '-object').includes('memory-backend-memfd,id=mem,size=1024M,share=on'));
    assert.deepEqual(values(args, '-numa'), ['node,memdev=mem']);
    assert.ok(values(args, '-chardev').includes('socket,id=share,path=/run/u/share.sock'));
    assert.ok(values(args, '-device').includes('vhost-user-fs-pci,chardev=share,tag=host'));
  });

  it('doubles commas in paths, so a path cannot add options', () => {
    assert.equal(qemuOptionValue('/a,b/c'), '/a,,b/c');
    const drives = values(qemuArguments({ ...spec, dataDisk: '/m/x,readonly=on' }), '-drive');
    assert.ok(drives.includes('if=none,id=data,format=raw,discard=unmap,file=/m/x,,readonly=on'));
  });
});
