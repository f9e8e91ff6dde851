import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planResources } from '../runtime/resources.js';
import { checkResources, type ResourceTexts } from './resourceSpec.js';

describe('resourceSpec', () => {
  it('refuses what the engine refuses, in its words, and passes what it takes', () => {
    const cases: ResourceTexts[] = [
      {},
      { memory: '64m' },
      { memory: '1.5g' },
      { memory: '100MB' },
      { memory: 'lots' },
      { memory: '1m' },
      { memory: '' },
      { memory: '64m', memorySwap: '128m' },
      { memory: '64m', memorySwap: '-1' },
      { memory: '64m', memorySwap: '32m' },
      { memorySwap: '128m' },
      { memory: '64m', memorySwap: 'x' },
      { cpus: '0.5' },
      { cpus: '2' },
      { cpus: '-1' },
      { cpus: '0' },
      { cpus: '0.001' },
      { cpus: 'half' },
      { cpuShares: '512' },
      { cpuShares: '-2' },
      { cpuShares: '1.5' },
      { pidsLimit: '20' },
      { pidsLimit: '-1' },
      { pidsLimit: 'many' },
    ];
    for (const asked of cases) {
      let engine: string | null = null;
      try {
        // A machine with CPUs enough: the count is the engine's to check.
        planResources(asked, 1024);
      } catch (err) {
        engine = (err as Error).message;
      }
      assert.equal(checkResources(asked), engine, JSON.stringify(asked));
    }
  });
});
