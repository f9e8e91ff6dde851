import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliPath, projectRoot } from '../../testkit/cli.js';
import { tempDir } from '../../testkit/tempDir.js';
import { bridgeProtocols } from '../api/bridgeProtocol.js';
import { connectToEngine } from '../client/engineConnection.js';
import { VERSION } from '../version.js';

const entry = join(projectRoot, 'dist', 'snapshot-entry.cjs');
const agentArgs = (root: string, tokenFile: string) => [
  ...['--root', root, 'agent', '--listen', '127.0.0.1:0', '--token-file', tokenFile],
];

/** A token file for an agent (it wants 32 characters at least). */
function token(dir: string, name: string): { file: string; token: string } {
  const value = `${name}-${'0123456789abcdef'.repeat(3)}`;
  const file = join(dir, name);
  writeFileSync(file, value, { mode: 0o600 });
  return { file, token: value };
}

// The guest's seed makes this snapshot of the agent at a machine's first boot and starts the agent
// from it at the next ones (guest/files/seed.cjs); the same Node here does what the guest's does.
describe("the agent's startup snapshot", () => {
  it('is made by running the agent once, and starts an agent that serves its own store and arguments', async () => {
    const dir = tempDir();
    const blob = join(dir, 'agent.snapshot');
    const build = spawnSync(
      process.execPath,
      ['--snapshot-blob', blob, '--build-snapshot', entry, ...agentArgs(join(dir, 'scratch'), token(dir, 'build').file)],
      { encoding: 'utf8' },
    );
    assert.equal(build.status, 0, build.stderr);
    assert.ok(existsSync(blob));

    // A command of its own, not the build's: the restored bundle parses this process's arguments.
    const version = spawnSync(process.execPath, ['--snapshot-blob', blob, cliPath, '--version'], { encoding: 'utf8' });
    assert.equal(version.stdout.trim(), VERSION, version.stderr);

    const { file, token: secret } = token(dir, 'run');
    const agent = spawn(process.execPath, ['--snapshot-blob', blob, cliPath, ...agentArgs(join(dir, 'store'), file)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => agent.on('exit', resolve));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        agent.stdout.on('data', (chunk) => {
          out += chunk;
          const match = /listening on port (\d+)/.exec(out);
          if (match) resolve(Number(match[1]));
        });
        agent.on('exit', (code) => reject(new Error(`the agent exited (${code}) before it listened: ${out}`)));
      });
      const connection = await connectToEngine({ host: '127.0.0.1', port, protocols: bridgeProtocols(secret) });
      assert.ok(connection, 'the restored agent answers with the token of its own arguments');
      const listed = await connection.invoke('images.list', {});
      assert.deepEqual(listed, { ok: true, value: [] });
      // The contract's schemas and the engine's errors, as restored.
      const missing = await connection.invoke('images.inspect', { ref: 'nothing:here' });
      assert.equal(missing.ok ? 'ok' : missing.error.code, 'IMAGE_NOT_FOUND');
      const invalid = await connection.invoke('images.inspect', { ref: '' });
      assert.equal(invalid.ok ? 'ok' : invalid.error.code, 'INVALID_ARGUMENT');
      connection.close();
      assert.ok(existsSync(join(dir, 'store')), 'the store is the one this agent was given');
    } finally {
      agent.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });
});
