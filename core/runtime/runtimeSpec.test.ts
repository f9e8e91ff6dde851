import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRuntimeSpec, type SpecInput } from './runtimeSpec.js';

const input: SpecInput = {
  rootfs: '/r',
  args: ['sh'],
  env: [],
  cwd: '/',
  user: { uid: 0, gid: 0, additionalGids: [0] },
  hostname: 'h',
  terminal: false,
  mounts: [],
  network: { mode: 'none', netnsPath: null },
};

type Spec = {
  process: { noNewPrivileges: boolean; capabilities: { bounding: string[] } };
  root: { readonly: boolean };
  mounts: { destination: string; options: string[] }[];
  linux: Record<string, unknown> & { resources?: Record<string, unknown> };
  hooks?: { poststop?: { path: string; args: string[] }[] };
};
const spec = (over: Partial<SpecInput> = {}) => buildRuntimeSpec({ ...input, ...over }) as unknown as Spec;

test('by default: docker’s capabilities, seccomp, masked paths, cgroups read-only, no-new-privileges off, no resources', () => {
  const s = spec();
  assert.equal(s.process.noNewPrivileges, false);
  assert.equal(s.root.readonly, false);
  assert.ok(s.linux.seccomp);
  assert.ok(Array.isArray(s.linux.maskedPaths));
  assert.equal(s.linux.resources, undefined);
  assert.equal(s.linux.devices, undefined);
  assert.ok(s.mounts.find((m) => m.destination === '/sys/fs/cgroup')?.options.includes('ro'));
});

test('no-new-privileges, --read-only, capabilities and limits as asked', () => {
  const s = spec({
    noNewPrivileges: true,
    readOnlyRootfs: true,
    capabilities: ['CAP_CHOWN'],
    resources: { memoryBytes: 32 * 1024 ** 2, memorySwapBytes: -1, nanoCpus: 5e8, cpuShares: null, pidsLimit: 5 },
  });
  assert.equal(s.process.noNewPrivileges, true);
  assert.equal(s.root.readonly, true);
  assert.deepEqual(s.process.capabilities.bounding, ['CAP_CHOWN']);
  assert.deepEqual(s.linux.resources, {
    memory: { limit: 32 * 1024 ** 2, swap: -1 },
    cpu: { period: 100_000, quota: 50_000 },
    pids: { limit: 5 },
  });
});

test('--privileged: no seccomp, no masked or read-only paths, /sys and its cgroups read-write, every device allowed', () => {
  const s = spec({ privileged: true });
  assert.equal(s.linux.seccomp, undefined);
  assert.equal(s.linux.maskedPaths, undefined);
  assert.equal(s.linux.readonlyPaths, undefined);
  assert.ok(s.mounts.find((m) => m.destination === '/sys')?.options.includes('rw'));
  assert.ok(s.mounts.find((m) => m.destination === '/sys/fs/cgroup')?.options.includes('rw'));
  assert.deepEqual(s.linux.resources, { devices: [{ allow: true, access: 'rwm' }] });
  assert.ok(Array.isArray(s.linux.devices) && (s.linux.devices as { path: string }[]).some((d) => d.path === '/dev/null'));
});

test('the mounts to remove after the container: one poststop hook, umount by its absolute path; none without them', () => {
  const hooks = spec({ unmountAfterExit: ['/r', '/run/netns/stevedore-1'] }).hooks;
  assert.equal(hooks?.poststop?.length, 1);
  const [hook] = hooks?.poststop ?? [];
  // BusyBox where it has the applet (it picks it by argv[0]), else util-linux's umount.
  assert.match(hook?.path ?? '', /^\/.*\/(umount|busybox)$/);
  assert.deepEqual(hook?.args, ['umount', '/r', '/run/netns/stevedore-1']);
  assert.equal(spec().hooks, undefined);
  assert.equal(spec({ unmountAfterExit: [] }).hooks, undefined);
});
