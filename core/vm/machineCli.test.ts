import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildGuest, type GuestManifest } from '../../guest/buildGuest.js';
import { stevedore } from '../../testkit/cli.js';
import { startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';
import { findQemu } from './qemuBinary.js';

// `stevedore machine …` through the real CLI (dist/cli.cjs): the guest image into the store, a
// machine that outlives the command that started it, its status, stop, start again, rm.
// Skipped only where QEMU cannot run at all.
let noQemu = '';
try {
  findQemu();
} catch (err) {
  noQemu = (err as Error).message;
  console.log(`# machine CLI test skipped: ${noQemu}`);
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

interface Status {
  name: string;
  state: string;
  accelerator?: string;
  acceleratorReason?: string;
  pid?: number;
  uptimeSeconds?: number;
  cpuSeconds?: number;
  rssBytes?: number;
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  image: string;
  dataDiskBoots?: number;
}

describe('stevedore machine, through the CLI', { skip: noQemu || false }, () => {
  let manifest: GuestManifest;
  let root: string;
  let machineDir: string;

  const status = (): Status => {
    const r = stevedore(root, ['machine', 'status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Status;
  };

  before(() => {
    // The guest build cache machine.test.ts uses: the CLI's init finds it and does not rebuild.
    manifest = buildGuest({ log: (line) => console.log(`# guest: ${line}`) }).manifest;
    root = tempDir('stevedore-machine-');
    machineDir = join(root, 'machine', 'default');
  });

  after(() => {
    // A failed test must not leave a QEMU running.
    if (root) stevedore(root, ['machine', 'rm', '-f']);
  });

  it('says the machine is not initialized, and how to make it', () => {
    for (const verb of ['start', 'stop', 'status']) {
      const r = stevedore(root, ['machine', verb]);
      assert.equal(r.code, 1, verb);
      assert.match(r.stderr, /^error: .*not initialized.*stevedore machine init/, verb);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    }
    // The command's own options are its own, as with docker exec: `-c` is sh's, not stevedore's.
    const shell = stevedore(root, ['machine', 'shell', '-T', 'sh', '-c', 'true']);
    assert.match(shell.stderr, /^error: .* there is none yet: create it with `stevedore machine init`/);
  });

  it('init stores the guest image in the store and takes its files back out, verified', () => {
    const r = stevedore(root, ['machine', 'init', '--cpus', '2', '--memory', '1024', '--disk-size', '2']);
    assert.equal(r.code, 0, r.stderr);
    console.log(r.stdout.trimEnd().replace(/^/gm, '# '));

    const ref = `localhost/stevedore/guest:${manifest.agentVersion}`;
    const images = JSON.parse(stevedore(root, ['images', '--json']).stdout) as {
      repository: string;
      tag: string;
      size: number;
    }[];
    const image = images.find((i) => `${i.repository}:${i.tag}` === ref);
    assert.ok(image, `${ref} in ${JSON.stringify(images)}`);
    console.log(`# ${ref}: ${image.size} bytes in the store`);

    for (const a of Object.values(manifest.artifacts)) {
      assert.equal(sha256(join(machineDir, a.path)), a.sha256, a.path);
    }
    assert.deepEqual(JSON.parse(readFileSync(join(machineDir, 'manifest.json'), 'utf8')), manifest);
    assert.equal(statSync(machineDir).mode & 0o777, 0o700);
    assert.equal(statSync(join(root, 'machine')).mode & 0o777, 0o700);

    const s = status();
    assert.equal(s.state, 'stopped');
    assert.deepEqual([s.cpus, s.memoryMiB, s.diskGiB, s.image], [2, 1024, 2, ref]);

    const again = stevedore(root, ['machine', 'init']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already initialized.*stevedore machine rm/);
  });

  it('the guest image goes through a registry like any image: pushed, then pulled by init --image', async () => {
    const registry = await startRegistry();
    try {
      const remote = `${registry.host}/stevedore/guest:${manifest.agentVersion}`;
      const push = stevedore(root, ['push', `localhost/stevedore/guest:${manifest.agentVersion}`, remote]);
      assert.equal(push.code, 0, push.stderr);
      const elsewhere = tempDir('stevedore-machine-');
      const r = stevedore(elsewhere, ['machine', 'init', '--image', remote, '--memory', '512', '--disk-size', '1']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /pulling/);
      for (const a of Object.values(manifest.artifacts)) {
        assert.equal(sha256(join(elsewhere, 'machine', 'default', a.path)), a.sha256, a.path);
      }
      assert.equal((JSON.parse(stevedore(elsewhere, ['machine', 'status', '--json']).stdout) as Status).image, remote);
    } finally {
      await registry.stop();
    }
  });

  it('start boots it detached; status says running, with the accelerator, uptime, CPU time and memory', () => {
    const r = stevedore(root, ['machine', 'start']);
    assert.equal(r.code, 0, r.stderr);
    console.log(`# ${r.stdout.trim()}`);
    const s = status();
    console.log(`# ${JSON.stringify(s)}`);
    assert.equal(s.state, 'running');
    assert.match(s.accelerator ?? '', /^(kvm|tcg)$/);
    assert.ok(s.acceleratorReason, 'the probe says why');
    assert.ok(s.pid && existsSync(`/proc/${s.pid}`), 'QEMU outlives the command that started it');
    assert.ok((s.uptimeSeconds ?? -1) >= 0);
    assert.ok((s.cpuSeconds ?? 0) > 0, 'QEMU has used CPU');
    assert.ok((s.rssBytes ?? 0) > 0, 'QEMU has memory in use');
    assert.equal(s.dataDiskBoots, 1);

    const text = stevedore(root, ['machine', 'status']);
    assert.match(text.stdout, /running/);
    assert.match(text.stdout, new RegExp(s.accelerator!));
  });

  it('refuses a second start clearly, and rm without -f while it runs', () => {
    const r = stevedore(root, ['machine', 'start']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: .*already running/);
    const rm = stevedore(root, ['machine', 'rm']);
    assert.equal(rm.code, 1);
    assert.match(rm.stderr, /^error: .*running.*-f/);
    assert.equal(status().state, 'running');
  });

  it('stop powers it off; start again finds the data disk as it was', () => {
    const { pid } = status();
    const stop = stevedore(root, ['machine', 'stop']);
    assert.equal(stop.code, 0, stop.stderr);
    console.log(`# ${stop.stdout.trim()}`);
    assert.match(stop.stdout, /powered off/);
    assert.equal(status().state, 'stopped');
    assert.ok(!existsSync(`/proc/${pid}`) || /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')), 'QEMU is gone');

    const start = stevedore(root, ['machine', 'start']);
    assert.equal(start.code, 0, start.stderr);
    console.log(`# ${start.stdout.trim()}`);
    const s = status();
    assert.equal(s.state, 'running');
    assert.equal(s.dataDiskBoots, 2, 'the agent counted the first boot on the same data disk');
  });

  it('rm -f stops it and removes its files; the guest image stays in the store', () => {
    const r = stevedore(root, ['machine', 'rm', '-f']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(machineDir));
    const st = stevedore(root, ['machine', 'status']);
    assert.match(st.stderr, /not initialized/);
    assert.match(stevedore(root, ['images']).stdout, /localhost\/stevedore\/guest/);
  });

  it('init --image takes a guest already in the store; a guest that cannot boot is said so, with its console', () => {
    const ref = `localhost/stevedore/guest:${manifest.agentVersion}`;
    const init = stevedore(root, ['machine', 'init', '--image', ref, '--memory', '512', '--disk-size', '1']);
    assert.equal(init.code, 0, init.stderr);
    assert.doesNotMatch(init.stderr, /pulling|guest image up to date/, 'neither pulled nor built');
    // The initramfs gone: the kernel panics for want of a root and QEMU exits.
    writeFileSync(join(machineDir, 'initrd.img'), '');
    const start = stevedore(root, ['machine', 'start']);
    assert.equal(start.code, 1);
    const error = start.stderr.trim().split('\n').pop() ?? '';
    console.log(`# ${error}`);
    assert.match(error, /^error: The VM did not boot: .*console ends with: .*Kernel panic/);
    assert.equal(status().state, 'stopped');
    assert.equal(stevedore(root, ['machine', 'rm']).code, 0);
  });
});
