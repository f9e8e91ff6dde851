import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { type CliResult, stevedore, stevedoreAsync } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree } from '../../testkit/treeSnapshot.js';
import { eventually } from '../support/eventually.js';

// Issue 12, item 4: gc, rmi and `builder prune` while a build runs must not leave it a wrong image.
// The race is made deterministic, without timing: the RUN step says "running" by creating a file
// in its cache mount (a directory of the store the test can see), then blocks reading a FIFO
// there until the test, having run gc and rmi meanwhile, writes to it.

const work = tempDir('stevedore-sec-gc-');
const root = join(work, 'store');
// `--mount=type=cache,id=sig` lives in <root>/build-mounts/<first 32 hex of sha256(id)>.
const signals = join(root, 'build-mounts', createHash('sha256').update('sig').digest('hex').slice(0, 32));
const running = join(signals, 'running');
const go = join(signals, 'go');

function ok(args: string[]): string {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `stevedore ${args.join(' ')}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** A build whose waiting step is held until `during` has run. */
async function buildHeld(args: string[], during: () => void): Promise<CliResult> {
  rmSync(running, { force: true });
  const build = stevedoreAsync(root, ['build', '--progress', 'plain', ...args]);
  let ended: CliResult | undefined;
  void build.then((r) => {
    ended = r;
  });
  await eventually(() => {
    if (ended) throw new Error(`the build ended before its step ran:\n${ended.stderr}`);
    assert.ok(existsSync(running), 'the step is running');
  }, 120_000);
  during();
  writeFileSync(go, 'go\n'); // opens the FIFO for writing: the step's read returns
  return build;
}

const dockerfile = [
  'FROM base:v1',
  'RUN echo one > /one.txt',
  'ARG N',
  'RUN --mount=type=cache,id=sig,target=/sig --mount=type=bind,from=other:v1,target=/o touch /sig/running && read line < /sig/go && echo "step $N" > /step.txt && cat /o/other.txt > /from-other.txt',
  '',
].join('\n');

describe('security: gc, rmi and builder prune during a build', () => {
  before(async () => {
    writeLayout(join(work, 'layout'), [
      {
        refName: 'base:v1',
        layers: [
          await busyboxLayer(['sh', 'touch', 'echo', 'cat', 'ls', 'true']),
          await makeLayer([{ path: 'data.txt', content: 'base data\n' }]),
        ],
        config: { Env: ['PATH=/bin'] },
      },
      { refName: 'other:v1', layers: [await makeLayer([{ path: 'other.txt', content: 'other\n' }])] },
    ]);
    ok(['load', '-i', join(work, 'layout')]);
    mkdirSync(signals, { recursive: true });
    assert.equal(spawnSync('mkfifo', [go]).status, 0, 'mkfifo');
  });

  it('leases what a running build reads and makes: the image comes out whole, fsck is clean, snapshots are right', async () => {
    const ctx = join(work, 'ctx');
    mkdirSync(ctx, { recursive: true });
    writeFileSync(join(ctx, 'Dockerfile'), dockerfile);
    // A first build fills the cache (`RUN echo one` is a hit next time); its image goes, so that
    // the cached layer is held by the cache alone.
    const first = await buildHeld(['--build-arg', 'N=1', ctx], () => undefined);
    assert.equal(first.code, 0, first.stderr);
    ok(['rmi', first.stdout.trim()]);

    const held = await buildHeld(['--build-arg', 'N=2', '-t', 'built:2', ctx], () => {
      // While the step runs: the base and the mounted image go, the cache is forgotten, gc runs.
      ok(['rmi', 'base:v1']);
      ok(['rmi', 'other:v1']);
      ok(['builder', 'prune']);
      ok(['gc']);
    });
    assert.match(held.stderr, /CACHED/, 'the first RUN was a cache hit');
    assert.equal(held.code, 0, held.stderr);

    const fsck = stevedore(root, ['fsck']);
    assert.equal(fsck.code, 0, fsck.stdout);
    assert.match(fsck.stdout, / 0 problems/);

    const expected = {
      'data.txt': 'base data\n',
      'one.txt': 'one\n',
      'step.txt': 'step 2\n',
      'from-other.txt': 'other\n',
    };
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const check = (dir: string) => {
      const tree = snapshotTree(dir);
      assert.ok(tree['bin/busybox'] && tree['bin/ls'], `${dir} has the base's files`);
      for (const [path, content] of Object.entries(expected)) assert.equal(tree[path]?.sha256, sha(content), path);
    };
    ok(['unpack', 'built:2', join(work, 'u1')]);
    check(join(work, 'u1'));
    // Once the build is over its leases are gone: what the image needs stays, and a container
    // reads the same files from the snapshots.
    ok(['gc']);
    ok(['unpack', 'built:2', join(work, 'u2')]);
    check(join(work, 'u2'));
    assert.equal(ok(['run', '--rm', '--network', 'none', 'built:2', 'cat', '/data.txt', '/one.txt']), 'base data\none\n');
    assert.equal(stevedore(root, ['fsck']).code, 0);
  });
});
