import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { procRssBytes, procStat } from '../system/procStats.js';
import { machinePaths, prepareMachineDirs } from './machinePaths.js';
import { machineState, writeRunRecord } from './machineRun.js';

function pathsWith(pid: number, startTicks: number, ready: boolean) {
  const paths = machinePaths(tempDir());
  prepareMachineDirs(paths);
  writeRunRecord(paths, {
    pid,
    startTicks,
    accelerator: 'tcg',
    acceleratorReason: 'test',
    started: new Date().toISOString(),
    ...(ready ? { ready: { bootMs: 1, agentVersion: '0', readyLine: 'stevedore-agent ready 0 boots=1' } } : {}),
  });
  writeFileSync(paths.pidFile, `${pid}\n`);
  return paths;
}

describe('machine state from the pidfile and /proc', () => {
  const self = procStat(process.pid)!;

  it('reads a live process: its start time, CPU time and memory', () => {
    assert.equal(self.state === 'R' || self.state === 'S', true, self.state);
    assert.ok(self.startTicks > 0 && self.cpuTicks > 0);
    assert.ok((procRssBytes(process.pid) ?? 0) > 1024 * 1024);
  });

  it('is starting before the agent was ready, running after', () => {
    assert.equal(machineState(pathsWith(process.pid, self.startTicks, false)).state, 'starting');
    assert.equal(machineState(pathsWith(process.pid, self.startTicks, true)).state, 'running');
  });

  it('is stopped when the pid now names another process (a different start time) or none', () => {
    assert.equal(machineState(pathsWith(process.pid, self.startTicks - 1, true)).state, 'stopped');
    const ended = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    assert.equal(machineState(pathsWith(Number(ended), 1, true)).state, 'stopped');
    assert.equal(machineState(machinePaths(tempDir())).state, 'stopped', 'no record at all');
  });
});
