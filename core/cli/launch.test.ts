import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliPath } from '../../testkit/cli.js';
import { tempDir } from '../../testkit/tempDir.js';
import { Engine } from '../engine.js';
import { startEngineSocket } from '../server/engineSocket.js';
import { VERSION } from '../version.js';

/** Runs the built CLI with its compile cache in `cache`. */
function run(cache: string, args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cache },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout;
}

describe('the CLI launcher keeps V8 code caches', () => {
  it('writes one per command on its first run, named by the bundle', () => {
    const cache = tempDir();
    const dir = join(cache, 'stevedore', 'compile-cache');
    assert.equal(run(cache, ['--version']).trim(), VERSION);
    const [versionCache] = readdirSync(dir);
    assert.match(versionCache ?? '', /^[0-9a-f]{16}-[0-9a-f]{8}-none$/);
    run(cache, ['--root', join(cache, 'store'), 'images']);
    assert.deepEqual(readdirSync(dir).sort(), [versionCache, versionCache!.replace(/none$/, 'images')].sort());
    // A second run uses the cache and leaves it as it was.
    const before = readFileSync(join(dir, versionCache!));
    assert.equal(run(cache, ['--version']).trim(), VERSION);
    assert.deepEqual(readFileSync(join(dir, versionCache!)), before);
  });

  it('runs from source when a cache is unreadable, and replaces it; caches of other bundles go', () => {
    const cache = tempDir();
    const dir = join(cache, 'stevedore', 'compile-cache');
    run(cache, ['--version']);
    const [name] = readdirSync(dir);
    writeFileSync(join(dir, name!), 'not a code cache');
    writeFileSync(join(dir, '0000000000000000-00000000-none'), 'an older bundle');
    assert.equal(run(cache, ['--version']).trim(), VERSION);
    assert.deepEqual(readdirSync(dir), [name]);
    assert.notEqual(readFileSync(join(dir, name!), 'utf8'), 'not a code cache');
  });
});

/**
 * Runs the built CLI without blocking this process, which may be serving the engine socket the
 * CLI talks to. Any exit code; the caches it left, by kind.
 */
function runAsync(cache: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const { STEVEDORE_ROOT: _root, STEVEDORE_NO_DAEMON: _noDaemon, ...env } = process.env;
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...env, XDG_CACHE_HOME: cache, ...extraEnv } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise<{ code: number | null; stdout: string; stderr: string; caches: string[] }>((resolve) =>
    child.on('close', (code) => {
      let caches: string[] = [];
      try {
        caches = readdirSync(join(cache, 'stevedore', 'compile-cache')).sort();
      } catch {
        // none written
      }
      resolve({ code, stdout, stderr, caches });
    }),
  );
}

describe('the launcher runs pull and push through a running engine', () => {
  // 127.0.0.1:1 refuses at once: the command fails the same way on either path, without a registry.
  const pull = ['pull', '127.0.0.1:1/app:1'];
  const refused = { code: 1, stdout: '', stderr: 'error: cannot connect to 127.0.0.1:1: connection refused\n' };
  const kinds = (caches: string[]) => caches.map((c) => c.replace(/[0-9a-f]{16}-[0-9a-f]{8}-/, 'H-')).sort();

  it("loads the thin client with a code cache of its own kind, keeping the full CLI's", async () => {
    const cache = tempDir();
    const root = tempDir();
    const socket = await startEngineSocket(new Engine(root));
    try {
      run(cache, ['--version']);
      const through = await runAsync(cache, ['--root', root, ...pull]);
      assert.deepEqual({ code: through.code, stdout: through.stdout, stderr: through.stderr }, refused);
      assert.deepEqual(kinds(through.caches), ['H-none', 'client-H-pull']);
      // A cache of another build of the client goes when this one's is written; the full CLI's stay.
      const dir = join(cache, 'stevedore', 'compile-cache');
      const clientCache = through.caches.find((c) => c.startsWith('client-'))!;
      rmSync(join(dir, clientCache));
      writeFileSync(join(dir, 'client-0000000000000000-00000000-pull'), 'an older client');
      const again = await runAsync(cache, ['--root', root, ...pull]);
      assert.deepEqual(again.caches, through.caches);
    } finally {
      await socket.close();
    }
  });

  it('STEVEDORE_NO_DAEMON=1 runs in-process even when an engine answers', async () => {
    const cache = tempDir();
    const root = tempDir();
    const socket = await startEngineSocket(new Engine(root));
    try {
      const alone = await runAsync(cache, ['--root', root, ...pull], { STEVEDORE_NO_DAEMON: '1' });
      assert.deepEqual({ code: alone.code, stdout: alone.stdout, stderr: alone.stderr }, refused);
      assert.deepEqual(kinds(alone.caches), ['H-pull']);
    } finally {
      await socket.close();
    }
  });

  it('falls back to the full CLI, in the same process, when the socket does not answer as an engine', async () => {
    const cache = tempDir();
    const root = tempDir();
    // Something listens, but hangs up on every connection.
    const server = createServer((c) => c.destroy());
    await new Promise<void>((resolve) => server.listen(join(root, 'engine.sock'), resolve));
    try {
      const fallback = await runAsync(cache, ['--root', root, ...pull]);
      assert.deepEqual({ code: fallback.code, stdout: fallback.stdout, stderr: fallback.stderr }, refused);
      assert.deepEqual(kinds(fallback.caches), ['H-pull', 'client-H-pull']);
    } finally {
      server.close();
    }
  });
});
