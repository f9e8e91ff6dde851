import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StevedoreError } from '../errors.js';
import { ociResources, parseMemorySize, planResources, rootlessResourcesBlocker } from './resources.js';

const refused = (fn: () => unknown, message: RegExp) =>
  assert.throws(
    fn,
    (err: unknown) => err instanceof StevedoreError && err.code === 'INVALID_ARGUMENT' && message.test(err.message),
  );

describe('docker resource flags', () => {
  test('sizes as docker’s RAMInBytes reads them', () => {
    assert.equal(parseMemorySize('32m'), 32 * 1024 ** 2);
    assert.equal(parseMemorySize('1g'), 1024 ** 3);
    assert.equal(parseMemorySize('1.5G'), 1.5 * 1024 ** 3);
    assert.equal(parseMemorySize('512k'), 512 * 1024);
    assert.equal(parseMemorySize('100MB'), 100 * 1024 ** 2);
    assert.equal(parseMemorySize('7340032'), 7340032);
    assert.equal(parseMemorySize('lots'), null);
    assert.equal(parseMemorySize('-1m'), null);
  });

  test('--memory, --memory-swap, --cpus, --cpu-shares, --pids-limit into linux.resources', () => {
    const plan = planResources({ memory: '64m', memorySwap: '128m', cpus: '0.5', cpuShares: '512', pidsLimit: '20' }, 2);
    assert.deepEqual(ociResources(plan), {
      memory: { limit: 64 * 1024 ** 2, swap: 128 * 1024 ** 2 },
      cpu: { period: 100_000, quota: 50_000, shares: 512 },
      pids: { limit: 20 },
    });
    assert.deepEqual(ociResources(planResources({ memory: '64m', memorySwap: '-1' }, 2)).memory, {
      limit: 64 * 1024 ** 2,
      swap: -1,
    });
    // docker: a pids limit of 0 or -1 is none.
    assert.deepEqual(ociResources(planResources({ pidsLimit: '-1' }, 2)), {});
  });

  test('values docker refuses are refused in one line', () => {
    refused(() => planResources({ memory: 'lots' }), /invalid --memory "lots"/);
    refused(() => planResources({ memory: '4m' }), /minimum memory limit allowed is 6MB/);
    refused(() => planResources({ memorySwap: '64m' }), /always set the memory limit/);
    refused(() => planResources({ memory: '64m', memorySwap: '32m' }), /larger than memory limit/);
    refused(() => planResources({ cpus: '-1' }), /invalid --cpus "-1"/);
    refused(() => planResources({ cpus: '3' }, 2), /range of CPUs is from 0.01 to 2.00/);
    refused(() => planResources({ cpus: '0.001' }, 2), /range of CPUs is from 0.01/);
    refused(() => planResources({ pidsLimit: 'x' }), /invalid --pids-limit "x"/);
    refused(() => planResources({ cpuShares: '-5' }), /cannot be negative/);
  });

  test('the rootless runtime names the limits it cannot apply, and lets a request without them be', () => {
    assert.equal(rootlessResourcesBlocker(undefined), null);
    assert.equal(rootlessResourcesBlocker({}), null);
    assert.match(
      rootlessResourcesBlocker({ memory: '32m', pidsLimit: '5' }) ?? '',
      /^--memory, --pids-limit cannot be applied by the rootless runtime: it has no cgroup of its own/,
    );
  });
});
