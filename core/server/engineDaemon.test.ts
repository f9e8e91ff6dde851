import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cliPath } from '../../testkit/cli.js';
import { startEngineDaemon } from './engineDaemon.js';

describe('startEngineDaemon', () => {
  const root = mkdtempSync(join(tmpdir(), 'stevedore-engine-daemon-'));
  const env = { ...process.env, STEVEDORE_RUNTIME: 'native' };
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is ready once the daemon says where it listens; stopped, it ends and its socket goes', async () => {
    const daemon = await startEngineDaemon([process.execPath, cliPath, '--root', root, 'daemon'], { env });
    assert.equal(daemon.socketPath, join(root, 'engine.sock'));
    assert.equal(daemon.readyLine, `Stevedore engine listening on ${daemon.socketPath}`);
    assert.ok(daemon.alive());

    // A second engine for the same store ends at once, and says why in its own words.
    await assert.rejects(startEngineDaemon([process.execPath, cliPath, '--root', root, 'daemon'], { env }), {
      message: new RegExp(`^the engine ended \\(\\d+\\) before it was ready: .*not serving ${daemon.socketPath}`),
    });

    assert.equal(await daemon.stop(), 0);
    assert.equal(daemon.alive(), false);
    assert.equal(existsSync(daemon.socketPath), false);
  });

  it('a program that cannot be started is one sentence naming it', async () => {
    await assert.rejects(startEngineDaemon([join(root, 'no-such-stevedore'), 'daemon']), {
      message: new RegExp(`^the engine could not be started \\(${root}/no-such-stevedore\\): spawn .*ENOENT`),
    });
  });
});
