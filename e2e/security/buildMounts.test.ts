import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { snapshotTree, type TreeEntry } from '../../testkit/treeSnapshot.js';

// Issue 12, item 2: `RUN --mount=type=bind,rw` must never write to its source. The writes land in
// a throw-away layer (BuildKit's semantics): the step sees them, the context and the store don't.
// Real builds: RUN in runc over overlayfs, as root.

const work = tempDir('stevedore-sec-mounts-');
const root = join(work, 'store');

function context(name: string, files: Record<string, string>, links: Record<string, string> = {}): string {
  const dir = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  for (const [path, target] of Object.entries(links)) symlinkSync(target, join(dir, path));
  return dir;
}

function ok(args: string[]): string {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `stevedore ${args.join(' ')}\n${r.stderr}`);
  return r.stdout;
}

/** Every snapshot directory's tree, by chain ID. */
function snapshotTrees(): Record<string, Record<string, TreeEntry>> {
  const dir = join(root, 'snapshots');
  const out: Record<string, Record<string, TreeEntry>> = {};
  for (const name of readdirSync(dir).filter((n) => !n.startsWith('.'))) out[name] = snapshotTree(join(dir, name));
  return out;
}

describe('security: RUN --mount=type=bind,rw writes to a throw-away copy, never its source', () => {
  before(async () => {
    writeLayout(join(work, 'layout'), [
      {
        refName: 'v1',
        layers: [
          await busyboxLayer(['sh', 'rm', 'test', 'touch', 'ls', 'echo', 'cat', 'true']),
          await makeLayer([{ path: 'data.txt', content: 'base data\n' }]),
        ],
        config: { Env: ['PATH=/bin'] },
      },
    ]);
    ok(['load', '-i', join(work, 'layout'), '--name', 'base']);
  });

  it('an rw bind of the build context: the step sees its deletions and new files, the context stays byte-for-byte', () => {
    const ctx = context(
      'ctx-rw',
      {
        Dockerfile: [
          'FROM base:v1',
          'RUN --mount=type=bind,rw,target=/ctx rm /ctx/a.txt && test ! -e /ctx/a.txt && rm -rf /ctx/* && touch /ctx/new && test -e /ctx/new && test ! -e /ctx/sub',
          '',
        ].join('\n'),
        'a.txt': 'a\n',
        'sub/b.txt': 'b\n',
      },
      { link: 'a.txt' },
    );
    const before = snapshotTree(ctx);
    ok(['build', '--progress', 'plain', '-t', 'rw-ctx:1', ctx]);
    assert.deepEqual(snapshotTree(ctx), before, 'the build context is unchanged');
    const out = join(work, 'rw-ctx-unpacked');
    ok(['unpack', 'rw-ctx:1', out]);
    assert.ok(!readdirSync(out).includes('ctx'), 'the mount target is no part of the image');
  });

  it('an rw bind of a single context file (no overlay for a file): a private copy, the file stays', () => {
    const ctx = context('ctx-file', {
      Dockerfile: [
        'FROM base:v1',
        'RUN --mount=type=bind,source=a.txt,target=/f,rw echo changed > /f && test "$(cat /f)" = changed',
        '',
      ].join('\n'),
      'a.txt': 'original\n',
    });
    const before = snapshotTree(ctx);
    ok(['build', '--progress', 'plain', '-t', 'rw-file:1', ctx]);
    assert.deepEqual(snapshotTree(ctx), before, 'the context file is unchanged');
  });

  it("an rw bind from an image: the image's shared snapshot is untouched, later containers and unpacks still have /bin/ls", () => {
    // A first build makes the base's snapshots.
    ok(['build', '--progress', 'plain', '-t', 'warm:1', context('ctx-warm', { Dockerfile: 'FROM base:v1\nRUN true\n' })]);
    const before = snapshotTrees();
    assert.ok(Object.keys(before).length > 0, 'the base has snapshots');
    const ctx = context('ctx-from', {
      Dockerfile: [
        'FROM base:v1',
        'RUN --mount=type=bind,from=base:v1,rw,target=/b rm /b/bin/ls && test ! -e /b/bin/ls && echo changed > /b/data.txt && test "$(cat /b/data.txt)" = changed',
        '',
      ].join('\n'),
    });
    ok(['build', '--progress', 'plain', '-t', 'rw-from:1', ctx]);
    const after = snapshotTrees();
    for (const [chainId, tree] of Object.entries(before))
      assert.deepEqual(after[chainId], tree, `snapshot ${chainId} is unchanged`);

    const out = join(work, 'base-unpacked');
    ok(['unpack', 'base:v1', out]);
    assert.ok(snapshotTree(out)['bin/ls'], 'an unpack of the base still has /bin/ls');
    assert.equal(
      snapshotTree(out)['data.txt']?.sha256,
      snapshotTree(join(root, 'snapshots', Object.keys(before).at(-1)!))['data.txt']?.sha256,
    );
    assert.equal(ok(['run', '--rm', '--network', 'none', 'base:v1', 'cat', '/data.txt']), 'base data\n');
    ok(['run', '--rm', '--network', 'none', 'base:v1', 'ls', '/bin/ls']);
  });

  it('a read-only bind (the default) stays read-only', () => {
    const ctx = context('ctx-ro', {
      Dockerfile: 'FROM base:v1\nRUN --mount=type=bind,target=/ctx touch /ctx/new\n',
    });
    const before = snapshotTree(ctx);
    const r = stevedore(root, ['build', '--progress', 'plain', ctx]);
    assert.notEqual(r.code, 0, 'touch on a read-only bind fails');
    assert.match(r.stderr, /did not complete successfully/);
    assert.deepEqual(snapshotTree(ctx), before);
  });
});
