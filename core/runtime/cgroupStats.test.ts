import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { StevedoreError } from '../errors.js';
import { cgroupStatsAt, cgroupV2Stats } from './cgroupStats.js';

describe('a container’s counters from its cgroup v2 files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cgroup-stats-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads CPU time, memory, pids and block I/O as runc events gives them', () => {
    writeFileSync(join(dir, 'cpu.stat'), 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n');
    writeFileSync(join(dir, 'memory.current'), '4096000\n');
    writeFileSync(join(dir, 'memory.max'), '67108864\n');
    writeFileSync(join(dir, 'memory.stat'), 'anon 1000\ninactive_file 96000\n');
    writeFileSync(join(dir, 'pids.current'), '3\n');
    writeFileSync(
      join(dir, 'io.stat'),
      '254:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n254:16 rbytes=100 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n',
    );
    const stats = cgroupStatsAt(dir);
    assert.equal(stats.cpu?.usage?.total, 1_500_000);
    assert.deepEqual(stats.memory?.usage, { usage: 4_096_000, limit: 67_108_864 });
    assert.equal(stats.memory?.raw?.inactive_file, 96_000);
    assert.equal(stats.pids?.current, 3);
    assert.deepEqual(stats.blkio?.ioServiceBytesRecursive, [
      { op: 'read', value: 4196 },
      { op: 'write', value: 8192 },
    ]);
  });

  it('reads no limit as none, and a controller that is not enabled as nothing counted', () => {
    writeFileSync(join(dir, 'memory.max'), 'max\n');
    rmSync(join(dir, 'io.stat'));
    rmSync(join(dir, 'pids.current'));
    const stats = cgroupStatsAt(dir);
    assert.equal(stats.memory?.usage?.limit, 0);
    assert.equal(stats.pids?.current, 0);
    assert.deepEqual(stats.blkio?.ioServiceBytesRecursive, [
      { op: 'read', value: 0 },
      { op: 'write', value: 0 },
    ]);
  });

  it('says so in one sentence when the container has no process', () => {
    assert.throws(
      () => cgroupV2Stats(null),
      (err: unknown) => err instanceof StevedoreError && /process is gone/.test(err.message),
    );
    assert.throws(() => cgroupV2Stats(2 ** 22 + 1), StevedoreError);
  });
});
