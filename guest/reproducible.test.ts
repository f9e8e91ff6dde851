import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureAccount } from '../testkit/normalUser.js';
import { tempDir } from '../testkit/tempDir.js';
import { buildGuest, type GuestManifest } from './buildGuest.js';

/** The normal account the second build runs as when the tests run as root (as CI does). */
const BUILD_USER = 'stevedore-vmtest';

function digests(manifest: GuestManifest): Record<string, string> {
  return Object.fromEntries(Object.entries(manifest.artifacts).map(([name, a]) => [name, a.sha256]));
}

/** A second, independent build: as a normal user when we are root, else in another directory. */
function secondBuild(): GuestManifest {
  const outDir = tempDir('stevedore-guest-');
  if (process.getuid?.() !== 0) return buildGuest({ outDir, cacheDir: join(outDir, 'cache') }).manifest;
  ensureAccount(BUILD_USER);
  const uid = Number(spawnSync('id', ['-u', BUILD_USER], { encoding: 'utf8' }).stdout);
  const gid = Number(spawnSync('id', ['-g', BUILD_USER], { encoding: 'utf8' }).stdout);
  chownSync(outDir, uid, gid);
  const home = spawnSync('sh', ['-c', `getent passwd ${BUILD_USER} | cut -d: -f6`], { encoding: 'utf8' }).stdout.trim();
  const r = spawnSync(
    'runuser',
    [
      '-u',
      BUILD_USER,
      '--',
      'env',
      `HOME=${home}`,
      process.execPath,
      '--import',
      'tsx',
      'guest/build.ts',
      '--out',
      join(outDir, 'image'),
    ],
    { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' },
  );
  assert.equal(r.status, 0, `the build as ${BUILD_USER} failed: ${r.stderr}`);
  console.log(r.stdout.trimEnd().replace(/^/gm, `# as ${BUILD_USER}: `));
  return JSON.parse(readFileSync(join(outDir, 'image', 'manifest.json'), 'utf8')) as GuestManifest;
}

describe('the guest image build', () => {
  it('gives the same bytes twice, the second time without root', () => {
    const first = buildGuest().manifest;
    const total = Object.values(first.artifacts).reduce((sum, a) => sum + a.size, 0);
    for (const a of Object.values(first.artifacts)) console.log(`# ${a.sha256}  ${a.path}  ${a.size} bytes`);
    console.log(`# total ${(total / 1e6).toFixed(1)} MB`);
    const second = secondBuild();
    assert.equal(second.inputKey, first.inputKey);
    assert.deepEqual(digests(second), digests(first));
  });
});
