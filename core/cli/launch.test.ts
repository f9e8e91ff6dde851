import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliPath } from '../../testkit/cli.js';
import { tempDir } from '../../testkit/tempDir.js';
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

  it('keeps no cache for a mistyped command', () => {
    const cache = tempDir();
    const typo = spawnSync(process.execPath, [cliPath, '--root', join(cache, 'store'), 'imags'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: cache },
    });
    assert.equal(typo.status, 1);
    assert.match(typo.stderr, /unknown command 'imags'/);
    run(cache, ['--root', join(cache, 'store'), 'images']);
    assert.deepEqual(
      readdirSync(join(cache, 'stevedore', 'compile-cache')).map((name) => name.replace(/^[0-9a-f]{16}-[0-9a-f]{8}-/, '')),
      ['images'],
    );
  });

  it('runs from source when a cache is unreadable, and replaces it; caches of other bundles go', () => {
    const cache = tempDir();
    const dir = join(cache, 'stevedore', 'compile-cache');
    run(cache, ['--version']);
    const [name] = readdirSync(dir);
    writeFileSync(join(dir, name!), 'not a code cache');
    writeFileSync(join(dir, '0000000000000000-00000000-none'), 'an older bundle');
    // Earlier builds had a thin client for pull and push, with caches of their own kind.
    writeFileSync(join(dir, 'client-0000000000000000-00000000-pull'), 'an older thin client');
    assert.equal(run(cache, ['--version']).trim(), VERSION);
    assert.deepEqual(readdirSync(dir), [name]);
    assert.notEqual(readFileSync(join(dir, name!), 'utf8'), 'not a code cache');
  });
});
