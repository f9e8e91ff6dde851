import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadBoxImage } from '../../testkit/containerImages.js';
import { eventually } from '../../testkit/eventually.js';
import { processRunningWith } from '../../testkit/processes.js';
import { tempDir } from '../../testkit/tempDir.js';
import { Engine } from '../engine.js';
import { containerPaths, readRecord } from './containerRecord.js';

const work = tempDir();
const root = join(work, 'store');
const skip = process.getuid?.() !== 0 ? 'runs containers with runc as root' : false;

describe('an engine that settles its containers’ ends from conmon’s notices (a machine’s agent)', { skip }, () => {
  let engine: Engine;
  let stopWatching: (() => void) | undefined;
  const run = (args: Parameters<ReturnType<Engine['handlers']>['containers.run']>[0]) =>
    engine.handlers()['containers.run'](args);

  before(async () => {
    await loadBoxImage(root, join(work, 'box'));
    engine = new Engine(root, { exitNotices: true });
  });
  after(() => {
    stopWatching?.();
    engine.close();
  });

  it('removes a --rm container and restarts by policy with no other process asking, and no CLI started', async () => {
    stopWatching = engine.watchStore();
    const removed = await run({ image: 'box:v1', command: ['true'], autoRemove: true });
    const failing = await run({ image: 'box:v1', command: ['sh', '-c', 'exit 3'], restart: 'on-failure:2' });
    // Read from the files alone: asking the engine would settle the end itself.
    await eventually(() => assert.ok(!existsSync(containerPaths(root, removed.id).dir), 'the --rm container is gone'), 20_000);
    await eventually(() => {
      const { state } = readRecord(containerPaths(root, failing.id).record);
      assert.equal(state.restartCount, 2, 'restarted twice');
      assert.equal(state.status, 'exited');
      assert.equal(state.exitCode, 3);
    }, 20_000);
    assert.ok(!processRunningWith('container-cleanup', root), 'no container-cleanup was started');
    assert.deepEqual(readdirSync(join(root, 'run', 'ended')), [], 'every notice taken');
  });

  it('settles the ends noticed while no engine watched, when one starts', async () => {
    stopWatching?.();
    stopWatching = undefined;
    const removed = await run({ image: 'box:v1', command: ['true'], autoRemove: true });
    await eventually(() => assert.deepEqual(readdirSync(join(root, 'run', 'ended')), [removed.id]), 20_000);
    assert.ok(existsSync(containerPaths(root, removed.id).dir), 'nothing settled it yet');
    stopWatching = engine.watchStore();
    await eventually(() => assert.ok(!existsSync(containerPaths(root, removed.id).dir), 'the --rm container is gone'), 20_000);
  });
});
