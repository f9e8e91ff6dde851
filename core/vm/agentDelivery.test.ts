import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { deliveryLine, seedTakesDigests, wantedFiles } from './agentDelivery.js';
import type { AgentDelivery } from './machine.js';

const delivery: AgentDelivery = {
  token: 't'.repeat(48),
  main: 'cli.cjs',
  files: [
    { path: 'cli.cjs', bytes: Buffer.from('the launcher') },
    { path: 'cli-bundle.cjs', bytes: Buffer.from('the bundle') },
    { path: 'node_modules/node-pty/package.json', bytes: Buffer.from('{}') },
  ],
};
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the agent delivered by digest', () => {
  it('lists every file with its size and sha256, so the guest can keep them by digest', () => {
    const line = JSON.parse(deliveryLine(delivery, 1234)) as Record<string, unknown>;
    assert.equal(line.clockMs, 1234);
    assert.equal(line.token, delivery.token);
    assert.equal(line.main, 'cli.cjs');
    assert.deepEqual(
      line.files,
      delivery.files.map((f) => ({ path: f.path, size: f.bytes.length, sha256: sha256(f.bytes) })),
    );
    // A boot without an agent: the clock only.
    assert.deepEqual(JSON.parse(deliveryLine(undefined, 5)), { clockMs: 5, files: [] });
  });

  it('sends only the files the seed says it lacks, in the order it names them', () => {
    assert.deepEqual(wantedFiles(delivery, 'stevedore-seed want -'), []);
    assert.deepEqual(wantedFiles(delivery, 'stevedore-seed want 2,0\n'), [delivery.files[2]!.bytes, delivery.files[0]!.bytes]);
    assert.equal(wantedFiles(delivery, 'stevedore-agent ready 0.1.0 boots=1'), undefined);
    assert.throws(() => wantedFiles(delivery, 'stevedore-seed want 3'), /did not list/);
    assert.throws(() => wantedFiles(delivery, 'stevedore-seed want 1,x'), /did not list/);
  });

  it('tells a seed that asks from one that takes every file at once', () => {
    assert.equal(seedTakesDigests('stevedore-seed hello 0.1.0 by-digest'), true);
    assert.equal(seedTakesDigests('stevedore-seed hello 0.1.0'), false);
  });
});
