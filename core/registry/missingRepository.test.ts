import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { layoutWithImages, randomLayers } from '../../testkit/registry/fixtures.js';
import { type RunningRegistry, startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';

// Issue 18, bug 7: distribution answers MANIFEST_UNKNOWN for a tag of a repository it does not
// have at all, which read "no tag latest in …": a missing repository is said to be one.

const work = tempDir('stevedore-missing-repository-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

describe('pull of something the registry does not have', () => {
  let registry: RunningRegistry;
  const root = join(work, 'store');

  before(async () => {
    registry = await startRegistry();
    const [layer] = await randomLayers([10_000]);
    await layoutWithImages(join(work, 'layout'), [{ refName: 'a', layers: [layer!] }]);
    assert.equal(stevedore(root, ['load', '-i', join(work, 'layout'), '--name', 'localhost/app']).code, 0);
    const pushed = stevedore(root, ['push', 'localhost/app:a', `${registry.host}/team/app:a`]);
    assert.equal(pushed.code, 0, pushed.stderr);
  });
  after(async () => {
    await registry?.stop();
  });

  it('names a missing repository as a missing repository', () => {
    const r = stevedore(join(work, 'other'), ['pull', `${registry.host}/team/nothing:latest`]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr, `error: no repository ${registry.host}/team/nothing\n`);
  });

  it('still names a missing tag of a repository that exists as a missing tag', () => {
    const r = stevedore(join(work, 'other'), ['pull', `${registry.host}/team/app:nope`]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr, `error: no tag nope in ${registry.host}/team/app\n`);
  });
});
