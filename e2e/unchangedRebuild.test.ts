import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BuildHistory } from '../core/builder/buildHistory';
import { cliPath, stevedore } from '../testkit/cli';
import { busyboxLayer } from '../testkit/layers';
import { writeContext } from './support/builds';
import { loadImages } from './support/images';

// A rebuild with nothing changed is shown again by the CLI's launcher without building
// (core/builder/unchangedRebuild.ts): what it prints and keeps must be what the build would, and
// any change the build could see must make it build.

let dir: string;
let root: string;
let context: string;
/** A whole second, which utimes sets to the nanosecond. */
const SET_TIME = 1_700_000_000;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stevedore-e2e-unchanged-'));
  root = join(dir, 'store');
  await loadImages(root, dir, [
    { refName: 'busybox:latest', layers: [await busyboxLayer(['sh', 'cat'])], config: { Cmd: ['sh'] } },
    { refName: 'other:1', layers: [await busyboxLayer(['sh', 'cat', 'echo'])], config: { Cmd: ['sh'] } },
  ]);
  context = writeContext(join(dir, 'context'), {
    Dockerfile: 'FROM busybox:latest\nARG FLAVOUR\nENV FLAVOUR=$FLAVOUR\nCOPY app.txt /app.txt\n',
    'app.txt': 'version one\n',
  });
  utimesSync(join(context, 'app.txt'), SET_TIME, SET_TIME);
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Built {
  id: string;
  stderr: string;
  /** `#N` → CACHED or DONE, as the plain progress ended each step. */
  ends: Map<number, string>;
}

/** `stevedore build --build-arg FLAVOUR -t app:1 CONTEXT [extra]`, run from `dir`, FLAVOUR from the environment. */
function build(flavour = 'mild', extra: string[] = []): Built {
  const r = spawnSync(
    process.execPath,
    [cliPath, '--root', root, 'build', '--build-arg', 'FLAVOUR', '-t', 'app:1', ...extra, context],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, FLAVOUR: flavour },
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const ends = new Map<number, string>();
  for (const [, step, end] of r.stderr.matchAll(/^#(\d+) (CACHED|DONE)\b/gm)) ends.set(Number(step), end!);
  return { id: r.stdout.trim(), stderr: r.stderr, ends };
}

/**
 * Builds until a build took every step from the cache and its tag named its image already: one a
 * rebuild can replay. Quiet builds (-q) print no steps to check.
 */
function settle(flavour = 'mild', extra: string[] = []): Built {
  build(flavour, extra);
  const settled = build(flavour, extra);
  if (!extra.includes('-q')) assert.deepEqual([...settled.ends.values()], ['DONE', 'CACHED', 'CACHED', 'CACHED'], settled.stderr);
  return settled;
}

/** The progress with its one timing (`writing image … done (0.1s)`) left out. */
const withoutTime = (stderr: string) => stderr.replace(/ done \(\d+\.\ds\)/, ' done');

test('a rebuild with nothing changed prints what the build did, names the same image and is kept in the history', () => {
  const settled = settle();
  const kept = new BuildHistory(root).list().length;
  const again = build();
  assert.equal(again.id, settled.id);
  assert.equal(withoutTime(again.stderr), withoutTime(settled.stderr));
  assert.match(again.stderr, /^naming to docker\.io\/library\/app:1 done$/m);
  const builds = new BuildHistory(root).list();
  assert.equal(builds.length, kept + 1);
  assert.equal(builds[0]!.state, 'done');
  assert.equal(builds[0]!.imageId, settled.id);
  assert.equal(builds[0]!.cachedCount, 3);
  assert.equal(builds[0]!.stepCount, 4);
});

test('a source rewritten with its size and times kept is built again', () => {
  const settled = settle();
  const file = join(context, 'app.txt');
  const size = statSync(file).size;
  writeFileSync(file, 'version two\n');
  utimesSync(file, SET_TIME, SET_TIME);
  assert.equal(statSync(file).size, size);
  const rebuilt = build();
  assert.equal(rebuilt.ends.get(4), 'DONE', rebuilt.stderr);
  assert.notEqual(rebuilt.id, settled.id);
});

test('a build argument taken from the environment, changed there, is built again', () => {
  const settled = settle('mild');
  const rebuilt = build('hot');
  assert.equal(rebuilt.ends.get(3), 'DONE', rebuilt.stderr);
  assert.notEqual(rebuilt.id, settled.id);
});

test('after builder prune the steps run again', () => {
  settle();
  const pruned = stevedore(root, ['builder', 'prune']);
  assert.equal(pruned.code, 0, pruned.stderr);
  assert.equal(build().ends.get(4), 'DONE');
});

test('a base image retagged since is built from', () => {
  const settled = settle();
  const tagged = stevedore(root, ['tag', 'other:1', 'busybox:latest']);
  assert.equal(tagged.code, 0, tagged.stderr);
  const rebuilt = build();
  assert.notEqual(rebuilt.id, settled.id);
  assert.equal(rebuilt.ends.get(4), 'DONE', rebuilt.stderr);
});

test('a quiet rebuild with --iidfile prints the ID alone and writes the file again', () => {
  const iidfile = join(dir, 'iid');
  const settled = settle('mild', ['-q', '--iidfile', iidfile]);
  rmSync(iidfile);
  const again = build('mild', ['-q', '--iidfile', iidfile]);
  assert.equal(again.stderr, '');
  assert.equal(again.id, settled.id);
  assert.ok(existsSync(iidfile));
  assert.equal(readFileSync(iidfile, 'utf8'), settled.id);
});

test('a replay that cannot write its --iidfile leaves the build to say why', () => {
  const dir2 = join(dir, 'iid-dir');
  mkdirSync(dir2);
  const iidfile = join(dir2, 'iid');
  settle('mild', ['-q', '--iidfile', iidfile]);
  rmSync(dir2, { recursive: true });
  const r = spawnSync(
    process.execPath,
    [cliPath, '--root', root, 'build', '--build-arg', 'FLAVOUR', '-t', 'app:1', '-q', '--iidfile', iidfile, context],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, FLAVOUR: 'mild' },
    },
  );
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /iid/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test('a build run from a working directory that is gone still builds', () => {
  const gone = join(dir, 'gone');
  const script = 'mkdir -p "$1" && cd "$1" && rmdir "$1" && shift && exec "$@"';
  const r = spawnSync(
    'sh',
    ['-c', script, 'sh', gone, process.execPath, cliPath, '--root', root, 'build', '-q', '-t', 'app:2', context],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^sha256:[0-9a-f]{64}$/m);
});
