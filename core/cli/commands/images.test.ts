import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../../../testkit/cli.js';
import { type Daemon, startDaemon } from '../../../testkit/daemon.js';
import { eventually } from '../../../testkit/eventually.js';
import { makeLayer } from '../../../testkit/layers.js';
import { writeLayout } from '../../../testkit/ociLayout.js';
import { tempDir } from '../../../testkit/tempDir.js';
import { connectToEngine } from '../../client/engineConnection.js';

const work = tempDir();
const root = join(work, 'store');

describe('image commands go through the engine client', () => {
  before(async () => {
    writeLayout(join(work, 'layout'), [
      {
        refName: 'localhost/labelled:1',
        layers: [await makeLayer([{ path: 'etc/one', content: 'one' }])],
        config: { Labels: { tier: 'web' } },
      },
    ]);
    assert.equal(stevedore(root, ['load', '-i', join(work, 'layout')]).code, 0);
  });

  it('an empty image name is refused by the contract, as the app and a daemon refuse it', () => {
    // The engine called directly parsed "" as a reference: "invalid reference", not the Router's refusal.
    for (const [args, method] of [
      [['tag', '', 'localhost/other:1'], 'images.tag'],
      [['rmi', ''], 'images.remove'],
      [['history', ''], 'images.inspect'],
    ] as const) {
      const r = stevedore(root, [...args]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, new RegExp(`^error: invalid arguments for ${method.replace('.', '\\.')} \\(`));
    }
    assert.equal(stevedore(root, ['images', '--format', '{{.Repository}}:{{.Tag}}']).stdout, 'localhost/labelled:1\n');
  });

  it('images --filter label= and the sizes still come from the engine', () => {
    const r = stevedore(root, ['images', '--filter', 'label=tier=web', '--format', '{{.Repository}} {{.Size}}']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^localhost\/labelled \d+B\n$/);
    assert.equal(stevedore(root, ['images', '-q', '--filter', 'label=tier=db']).stdout, '');
  });

  describe('with a daemon serving the store', () => {
    let daemon: Daemon;
    before(async () => {
      daemon = await startDaemon(root);
    });
    after(() => daemon.stop());

    it('tag and rmi are the daemon engine’s own: the app hears them as what they are', async () => {
      const engine = await connectToEngine(daemon.socketPath);
      assert.ok(engine);
      const reasons: string[] = [];
      engine.subscribe('images.changed', (payload) => reasons.push((payload as { reason: string }).reason));
      try {
        // Made by the CLI's own engine, the daemon only saw index.json move: reason "store".
        assert.equal(stevedore(root, ['tag', 'localhost/labelled:1', 'localhost/again:2']).code, 0);
        await eventually(() => assert.ok(reasons.includes('tag'), `reasons: ${reasons.join(', ')}`));
        assert.equal(stevedore(root, ['rmi', 'localhost/again:2']).stdout, 'Untagged: localhost/again:2\n');
        await eventually(() => assert.ok(reasons.includes('remove'), `reasons: ${reasons.join(', ')}`));
      } finally {
        engine.close();
      }
    });
  });
});
