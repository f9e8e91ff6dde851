import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath, stevedore } from '../../testkit/cli.js';
import type { WrittenImage } from '../../testkit/ociLayout.js';
import { layoutWithImages, randomLayers } from '../../testkit/registry/fixtures.js';
import { type RunningRegistry, startRegistry } from '../../testkit/registry/registry.js';
import { tempDir } from '../../testkit/tempDir.js';

const work = tempDir('stevedore-registry-cli-');
process.env.DOCKER_CONFIG = join(work, 'docker-config');

function ok(root: string, args: string[]): string {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `stevedore ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function fails(root: string, args: string[], sentence: string): void {
  const r = stevedore(root, args);
  assert.notEqual(r.code, 0);
  assert.equal(r.stderr, `error: ${sentence}\n`);
}

const short = (digest: string) => digest.slice(7, 19);

describe('stevedore pull, push, tags and catalog', () => {
  let registry: RunningRegistry;
  let images: WrittenImage[] = [];
  const root = join(work, 'store');

  before(async () => {
    registry = await startRegistry();
    const [base, a, b] = await randomLayers([300_000, 100_000, 100_000]);
    images = await layoutWithImages(join(work, 'layout'), [
      { refName: 'a', layers: [base!, a!] },
      { refName: 'b', layers: [base!, b!] },
    ]);
    ok(root, ['load', '-i', join(work, 'layout'), '--name', 'localhost/app']);
  });
  after(async () => {
    await registry?.stop();
  });

  it('push prints each blob as pushed, then exists, then mounted, and the digest', () => {
    const [a, b] = images as [WrittenImage, WrittenImage];
    const first = ok(root, ['push', 'localhost/app:a', `${registry.host}/team/app:a`]);
    for (const d of [a.configDigest, ...a.layerDigests]) assert.match(first, new RegExp(`^${short(d)}: Pushed$`, 'm'));
    assert.match(first, new RegExp(`^${registry.host}/team/app:a: digest: ${a.manifestDigest} size: ${a.manifestSize}$`, 'm'));
    const again = ok(root, ['push', 'localhost/app:a', `${registry.host}/team/app:a`]);
    for (const d of a.layerDigests) assert.match(again, new RegExp(`^${short(d)}: Layer already exists$`, 'm'));
    const mounted = ok(root, ['push', 'localhost/app:b', `${registry.host}/team/b:1`]);
    assert.match(mounted, new RegExp(`^${short(b.layerDigests[0]!)}: Mounted from team/app$`, 'm'));
    assert.match(mounted, new RegExp(`^${short(b.layerDigests[1]!)}: Pushed$`, 'm'));
  });

  it('pull prints one line per state change, then the digest and the name', () => {
    const [a] = images as [WrittenImage];
    const out = ok(join(work, 'pulled'), ['pull', `${registry.host}/team/app:a`])
      .trim()
      .split('\n');
    for (const d of a.layerDigests) {
      assert.ok(out.includes(`${short(d)}: Waiting`), out.join('\n'));
      assert.ok(out.includes(`${short(d)}: Pull complete`), out.join('\n'));
    }
    assert.deepEqual(out.slice(-2), [`Digest: ${a.manifestDigest}`, `${registry.host}/team/app:a`]);
  });

  it('on a terminal, pull draws progress bars and a total, redrawn in place', () => {
    const cmd = `${process.execPath} ${cliPath} --root ${join(work, 'tty')} pull ${registry.host}/team/b:1`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '120' } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\x1b\[\d+A/, 'the cursor moves up to redraw');
    assert.match(r.stdout, /Total \[=+\] \S+\/\S+/);
  });

  it('lists tags and the catalog, as text and JSON', () => {
    ok(root, ['push', 'localhost/app:a', `${registry.host}/team/app:v2`]);
    assert.deepEqual(
      ok(root, ['tags', `${registry.host}/team/app`])
        .trim()
        .split('\n'),
      ['a', 'v2'],
    );
    assert.deepEqual(JSON.parse(ok(root, ['tags', `${registry.host}/team/app`, '--json'])), {
      repository: `${registry.host}/team/app`,
      tags: ['a', 'v2'],
    });
    assert.deepEqual(JSON.parse(ok(root, ['catalog', registry.host, '--json'])).repositories, ['team/app', 'team/b']);
    assert.equal(ok(root, ['catalog', registry.host, '--limit', '1']).trim(), 'team/app');
  });

  it('with -q, push and pull print the name alone', () => {
    const [a] = images as [WrittenImage];
    const ref = `${registry.host}/team/b:quiet`;
    assert.equal(ok(root, ['push', '-q', 'localhost/app:a', ref]), `${ref}\n`);
    const pulled = join(work, 'pulled-quietly');
    assert.equal(ok(pulled, ['pull', '--quiet', ref]), `${ref}\n`);
    assert.equal(ok(pulled, ['images', '--quiet', '--no-trunc']), `${a.configDigest}\n`);
  });

  it('pulls every tag of a repository with -a', () => {
    const [a] = images as [WrittenImage];
    const repository = `${registry.host}/team/app`;
    const every = join(work, 'every-tag');
    // team/app holds tags a and v2 (pushed above), both the same image.
    assert.equal(ok(every, ['pull', '-a', '-q', repository]), `${repository}:a\n${repository}:v2\n`);
    assert.deepEqual(
      JSON.parse(ok(every, ['images', '--json']))
        .map((i: { reference: string; id: string }) => [i.reference, i.id])
        .sort(),
      [
        [`${repository}:a`, a.configDigest],
        [`${repository}:v2`, a.configDigest],
      ],
    );
    fails(every, ['pull', '--all-tags', `${repository}:a`], `name a repository, without a tag or digest: ${repository}:a`);
  });

  it('pushes every local tag of a repository with -a', () => {
    const repository = `${registry.host}/team/all`;
    ok(root, ['tag', 'localhost/app:a', `${repository}:one`]);
    ok(root, ['tag', 'localhost/app:b', `${repository}:two`]);
    assert.equal(ok(root, ['push', '-a', '-q', repository]), `${repository}:one\n${repository}:two\n`);
    assert.equal(ok(root, ['tags', repository]), 'one\ntwo\n');
    fails(
      root,
      ['push', '--all-tags', repository, `${registry.host}/elsewhere`],
      '--all-tags pushes each tag under its own name: give the repository alone',
    );
    fails(root, ['push', '-a', `${repository}:one`], `name a repository, without a tag or digest: ${repository}:one`);
    fails(root, ['push', '-a', `${registry.host}/team/none`], `no tag of ${registry.host}/team/none in the store`);
  });

  it('fails in one line', () => {
    fails(root, ['pull', `${registry.host}/team/app:nope`], `no tag nope in ${registry.host}/team/app`);
    fails(
      root,
      ['push', images[0]!.configDigest.slice(7, 19)],
      `say where to push ${images[0]!.configDigest.slice(7, 19)}: a name such as registry.example:5000/app:tag`,
    );
    fails(
      root,
      ['tags', `${registry.host}/team/app:a`],
      `name a repository, without a tag or digest: ${registry.host}/team/app:a`,
    );
    fails(
      root,
      ['pull', '--platform', 'linux', `${registry.host}/team/app:a`],
      'invalid platform "linux": expected os/arch or os/arch/variant',
    );
    fails(root, ['pull', '127.0.0.1:1/app:a'], 'cannot connect to 127.0.0.1:1: connection refused');
  });
});
