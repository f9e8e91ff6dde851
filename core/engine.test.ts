import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeLayer } from '../testkit/layers.js';
import { writeLayout } from '../testkit/ociLayout.js';
import { tempDir } from '../testkit/tempDir.js';
import { methods } from './api/contract.js';
import { Router } from './api/router.js';
import { Engine, type RuntimeContext } from './engine.js';

describe('Engine, the composition of its services', () => {
  it('makes its runtime at the first use, not when it is made: images need none', async () => {
    const root = tempDir();
    const layout = join(tempDir(), 'layout');
    writeLayout(layout, [{ refName: 'v1', layers: [await makeLayer([{ path: 'hello', content: 'hi\n' }])] }]);
    const made: RuntimeContext[] = [];
    const engine = new Engine(root, {
      runtime: (context) => {
        made.push(context);
        return context.native;
      },
    });
    assert.equal(made.length, 0, 'new Engine() made the runtime');
    await engine.loadImages(layout, 'app');
    assert.deepEqual(
      engine.listImages().map((i) => `${i.repository}:${i.tag}`),
      ['app:v1'],
    );
    engine.inspectImage('app:v1');
    await engine.tagImage('app:v1', 'app:v2');
    engine.dag();
    assert.equal(made.length, 0, 'loading, listing, inspecting and tagging images made the runtime');
    // Nothing a run would need was set up either: no snapshots, no build cache.
    assert.ok(!existsSync(join(root, 'snapshots')), 'the snapshot store was opened');
    assert.ok(!existsSync(join(root, 'build-cache')), 'the build cache was opened');

    assert.equal(engine.runtime.kind, 'native');
    assert.equal(engine.runtime, engine.runtime);
    assert.equal(made.length, 1, 'the runtime is made once');
    assert.equal(made[0]!.engine, engine);
    assert.equal(engine.info().runtime, 'native');
    engine.close();
  });

  it('closes what it made, and nothing else', () => {
    const engine = new Engine(tempDir(), {
      runtime: () => {
        throw new Error('closing made the runtime');
      },
    });
    engine.close();
    engine.closeConnections();
  });

  it('answers every method of the contract through the Router, with the services made at the first call', async () => {
    const root = tempDir();
    const made: string[] = [];
    const engine = new Engine(root, {
      runtime: (context) => {
        made.push('runtime');
        return context.native;
      },
    });
    const handlers = engine.handlers();
    assert.deepEqual(Object.keys(handlers).sort(), [...methods].sort());
    assert.deepEqual(made, [], 'handlers() made the runtime');
    const router = new Router(handlers);
    assert.deepEqual(await router.invoke('images.list', {}), { ok: true, value: [] });
    assert.deepEqual(made, [], 'images.list made the runtime');
    const listed = await router.invoke('volumes.list', {});
    assert.equal(listed.ok, true);
    assert.deepEqual(made, ['runtime']);
  });
});
