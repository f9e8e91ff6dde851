import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MachineSummary, RuntimeStatus } from '../../../core/api/runtime.schema';
import { RUNTIME_CHOICES, runsContainers, runtimeIndicator, showsMachine } from './runtimeWords';

const status = (kind: RuntimeStatus['kind'], machine: RuntimeStatus['machine'] = null): RuntimeStatus => ({
  kind,
  reason: 'why',
  machine,
});
const machine: MachineSummary = {
  name: 'default',
  state: 'running',
  accelerator: 'kvm',
  cpus: 2,
  memoryMiB: 2048,
  diskGiB: 20,
  diskBytesUsed: 0,
  image: 'img',
  console: [],
};

test('Settings says how containers run: natively, rootless in a user namespace, or in a machine', () => {
  assert.equal(runsContainers('native'), 'natively (runc on this machine)');
  assert.equal(runsContainers('rootless'), 'rootless (runc in a user namespace)');
  assert.equal(runsContainers('vm'), 'in a Linux machine (QEMU)');
  assert.equal(RUNTIME_CHOICES, 'native|rootless|vm');
});

test('machine controls only for a machine', () => {
  assert.equal(showsMachine(status('vm')), true);
  assert.equal(showsMachine(status('rootless')), false);
  assert.equal(showsMachine(status('native')), false);
});

test("the top bar's indicator: rootless is not a machine", () => {
  assert.deepEqual(runtimeIndicator(status('rootless')), { state: 'rootless', text: 'Containers: rootless' });
  assert.deepEqual(runtimeIndicator(status('native')), { state: 'native', text: 'Containers: native' });
  assert.deepEqual(runtimeIndicator(status('vm', { ...machine })), { state: 'running', text: 'Machine: running (kvm)' });
  assert.deepEqual(runtimeIndicator(status('vm', { ...machine, state: 'stopped' })), {
    state: 'stopped',
    text: 'Machine: stopped',
  });
  assert.deepEqual(runtimeIndicator(status('vm')), { state: 'missing', text: 'Machine: not created' });
});
