import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { containerPaths, containerRecord, makeContainerDir, readRecord, writeRecord } from './containerRecord.js';

const ID = 'c'.repeat(64);

/** A stopped container's record as `create` writes it. */
function created() {
  return containerRecord.parse({
    id: ID,
    name: 'web',
    image: 'box:v1',
    imageId: 'sha256:x',
    created: '2026-01-01T00:00:00.000Z',
    config: {
      ...{ args: ['sh'], env: ['A=1'], workingDir: '/', user: '', hostname: 'cccccccccccc' },
      ...{ tty: false, interactive: false, ports: [], volumes: [], network: 'none', stopSignal: 'SIGTERM' },
      autoRemove: false,
    },
    state: {
      ...{ status: 'created', supervisor: null, supervisorPid: null, pid: null, pidStartTicks: null },
      ...{ startedAt: null, finishedAt: null, exitCode: null, error: null },
    },
    network: null,
  });
}

describe('container records', () => {
  it('read back what was written; a copy each time, so a change to one is not in the next', () => {
    const root = tempDir();
    makeContainerDir(root, ID);
    writeRecord(root, created());
    const file = containerPaths(root, ID).record;
    const first = readRecord(file);
    assert.deepEqual(first, created());
    first.config.env.push('B=2');
    first.state.status = 'running';
    assert.deepEqual(readRecord(file), created());
  });

  it('a record changed by another hand is read as it now is, and refused when it is not valid', () => {
    const root = tempDir();
    makeContainerDir(root, ID);
    writeRecord(root, created());
    const file = containerPaths(root, ID).record;
    readRecord(file);
    const edited = JSON.parse(readFileSync(file, 'utf8'));
    edited.name = 'renamed';
    writeFileSync(file, JSON.stringify(edited));
    assert.equal(readRecord(file).name, 'renamed');
    edited.state.status = 'sleeping';
    writeFileSync(file, JSON.stringify(edited));
    assert.throws(() => readRecord(file), { code: 'STORE_CORRUPT' });
    // Written again in full, the text this process remembers: read as it was, not as the edit.
    writeRecord(root, created());
    assert.equal(readRecord(file).name, 'web');
  });
});
