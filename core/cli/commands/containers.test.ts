import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../../../testkit/cli.js';
import { loadBoxImage } from '../../../testkit/containerImages.js';
import { type Daemon, startDaemon } from '../../../testkit/daemon.js';
import { eventually } from '../../../testkit/eventually.js';
import { tempDir } from '../../../testkit/tempDir.js';
import { connectToEngine } from '../../client/engineConnection.js';

const work = tempDir();
const root = join(work, 'store');

describe('container commands go through the engine client', () => {
  it('an empty container name is refused by the contract, as the app and a daemon refuse it', () => {
    // The runtime called directly looked "" up and said "no such container": not the Router's refusal.
    for (const [args, verb, method] of [
      [['rm', '-f', ''], 'remove', 'containers.remove'],
      [['stop', '-t', '0', ''], 'stop', 'containers.stop'],
      [['pause', ''], 'pause', 'containers.pause'],
    ] as const) {
      const r = stevedore(root, [...args]);
      assert.equal(r.code, 1, r.stdout);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        new RegExp(`^error: cannot ${verb} : invalid arguments for ${method.replace('.', '\\.')} \\(id\\): `),
      );
    }
    for (const [args, method] of [
      [['logs', ''], 'containers.logs'],
      [['top', ''], 'containers.top'],
      [['stats', '--no-stream', ''], 'containers.stats'],
    ] as const) {
      const r = stevedore(root, [...args]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, new RegExp(`^error: invalid arguments for ${method.replace('.', '\\.')} \\(`));
    }
  });

  describe('with a daemon serving the store', () => {
    let daemon: Daemon;
    before(async () => {
      await loadBoxImage(root, work);
      daemon = await startDaemon(root);
    });
    after(() => daemon.stop());

    it('create and rm are the daemon engine’s own: the app hears them as what they are', async () => {
      const engine = await connectToEngine(daemon.socketPath);
      assert.ok(engine);
      const seen: string[] = [];
      engine.subscribe('containers.changed', (payload) => seen.push((payload as { reason: string }).reason));
      try {
        // Made by the CLI's own engine, the daemon only saw the containers' directory move: "observed".
        const made = stevedore(root, ['create', '--network', 'none', '--name', 'made-here', 'box:v1', 'true']);
        assert.equal(made.code, 0, made.stderr);
        await eventually(() => assert.ok(seen.includes('created'), `reasons: ${seen.join(', ')}`));
        assert.equal(stevedore(root, ['rm', 'made-here']).stdout, 'made-here\n');
        await eventually(() => assert.ok(seen.includes('removed'), `reasons: ${seen.join(', ')}`));
      } finally {
        engine.close();
      }
    });
  });
});
