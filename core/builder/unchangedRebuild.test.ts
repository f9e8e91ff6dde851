import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  forgetRebuildRecords,
  inputsHeader,
  inputsSnapshot,
  MAX_LISTED_ENTRIES,
  type RebuildRecord,
  readRebuildRecord,
  rebuildInvocation,
  snapshotText,
  stillUnchanged,
  writeRebuildRecord,
} from './unchangedRebuild.js';

/** A store with an index, a build cache and two blobs, and a context with a Dockerfile and sources. */
function fixture(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'stevedore-unchanged-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'store');
  const context = join(dir, 'context');
  mkdirSync(join(root, 'oci', 'blobs', 'sha256'), { recursive: true });
  mkdirSync(join(root, 'build-cache'));
  writeFileSync(join(root, 'oci', 'index.json'), '{"manifests":[]}');
  for (const hex of ['aa', 'bb']) writeFileSync(join(root, 'oci', 'blobs', 'sha256', hex.repeat(32)), hex);
  mkdirSync(join(context, 'src', 'lib'), { recursive: true });
  writeTimed(join(context, 'Dockerfile'), 'FROM base\nCOPY src /src\n');
  writeTimed(join(context, 'src', 'main.c'), 'int main() { return 0; }\n');
  writeFileSync(join(context, 'src', 'lib', 'util.h'), '#pragma once\n');
  const dockerfile = join(context, 'Dockerfile');
  const snapshot = () => snapshotText(inputsSnapshot(root, context, dockerfile));
  return { dir, root, context, dockerfile, snapshot };
}

/** A whole second: a time utimes sets exactly, to the nanosecond. */
const SET_TIME = 1_700_000_000;

/** A file whose times are SET_TIME, as a build's context may hold it (git checkouts and tars set times). */
function writeTimed(path: string, text: string): void {
  writeFileSync(path, text);
  utimesSync(path, SET_TIME, SET_TIME);
}

/** Rewrites a file with other bytes of the same length and sets its times back: only its ctime tells. */
function rewriteKeepingSizeAndTime(path: string): void {
  const before = statSync(path, { bigint: true });
  const text = readFileSync(path, 'utf8');
  writeFileSync(
    path,
    text.replace(/[a-y]/, (c) => String.fromCharCode(c.charCodeAt(0) + 1)),
  );
  utimesSync(path, SET_TIME, SET_TIME);
  const after = statSync(path, { bigint: true });
  assert.equal(after.size, before.size);
  assert.equal(after.mtimeNs, before.mtimeNs);
}

test('the inputs read the same while nothing changes, and differ after any change a build could see', (t) => {
  const changes: [string, (f: ReturnType<typeof fixture>) => void][] = [
    ['a source rewritten, its size and mtime kept', (f) => rewriteKeepingSizeAndTime(join(f.context, 'src', 'main.c'))],
    ['a file added deep in the tree', (f) => writeFileSync(join(f.context, 'src', 'lib', 'new.h'), '')],
    ['a file renamed', (f) => renameSync(join(f.context, 'src', 'main.c'), join(f.context, 'src', 'app.c'))],
    ['a mode changed', (f) => chmodSync(join(f.context, 'src', 'main.c'), 0o755)],
    ["a directory's mode changed", (f) => chmodSync(join(f.context, 'src', 'lib'), 0o700)],
    ['an empty directory added', (f) => mkdirSync(join(f.context, 'src', 'empty'))],
    ['a file no .dockerignore leaves out written', (f) => writeFileSync(join(f.context, 'build.log'), 'x')],
    ['the .dockerignore beside the Dockerfile added', (f) => writeFileSync(`${f.dockerfile}.dockerignore`, 'src\n')],
    ['the store index replaced', (f) => writeFileSync(join(f.root, 'oci', 'index.json'), '{"manifests":[]}')],
    ['a build cache entry added', (f) => writeFileSync(join(f.root, 'build-cache', `${'c'.repeat(64)}.json`), '{}')],
  ];
  for (const [what, change] of changes) {
    const f = fixture(t);
    const before = f.snapshot();
    assert.ok(before);
    assert.equal(f.snapshot(), before, 'nothing changed');
    change(f);
    assert.notEqual(f.snapshot(), before, what);
  }
});

test('what the .dockerignore leaves out may change, and an ignored tree is not walked', (t) => {
  const f = fixture(t);
  writeFileSync(join(f.context, '.dockerignore'), '*.log\nnode_modules\n!node_modules/keep.txt\n');
  mkdirSync(join(f.context, 'node_modules', 'big'), { recursive: true });
  for (let i = 0; i <= MAX_LISTED_ENTRIES; i++) writeFileSync(join(f.context, 'node_modules', 'big', `${i}`), '');
  const before = f.snapshot();
  assert.ok(before, 'node_modules is ignored: its entries are not counted');
  writeFileSync(join(f.context, 'build.log'), 'ignored');
  writeFileSync(join(f.context, 'node_modules', 'big', 'new.js'), 'ignored');
  assert.equal(f.snapshot(), before);
  writeFileSync(join(f.context, 'node_modules', 'keep.txt'), 're-included by an exception');
  assert.notEqual(f.snapshot(), before);
});

test('a Dockerfile outside the context is part of the inputs', (t) => {
  const f = fixture(t);
  const outside = join(f.dir, 'Dockerfile.prod');
  writeTimed(outside, 'FROM base\n');
  const before = snapshotText(inputsSnapshot(f.root, f.context, outside));
  rewriteKeepingSizeAndTime(outside);
  assert.notEqual(snapshotText(inputsSnapshot(f.root, f.context, outside)), before);
});

test('a context of more entries than are listed has its header only', (t) => {
  const f = fixture(t);
  mkdirSync(join(f.context, 'many'));
  for (let i = 0; i < MAX_LISTED_ENTRIES; i++) writeFileSync(join(f.context, 'many', `${i}`), '');
  const snapshot = inputsSnapshot(f.root, f.context, f.dockerfile);
  assert.equal(snapshot?.header, inputsHeader(f.root, f.context, f.dockerfile));
  assert.equal(snapshot?.listing, undefined);
  assert.equal(f.snapshot(), undefined);
});

function record(f: ReturnType<typeof fixture>, invocation: string): RebuildRecord {
  return {
    invocation,
    env: { SOURCE_DATE_EPOCH: null, FLAVOUR: 'mild' },
    inputs: f.snapshot()!,
    events: [],
    imageId: `sha256:${'aa'.repeat(32)}`,
    manifestDigest: `sha256:${'bb'.repeat(32)}`,
    tags: ['app:1'],
    warnings: [],
    quiet: false,
    iidfile: null,
    history: {
      contextDir: f.context,
      dockerfile: f.dockerfile,
      tags: ['app:1'],
      buildArgs: {},
      target: null,
      noCache: false,
      state: 'done',
      imageId: null,
      error: null,
      stepCount: 0,
      cachedCount: 0,
      steps: [],
    },
  };
}

test('a record answers its own invocation only, while its environment, inputs and image stay', (t) => {
  const f = fixture(t);
  const invocation = rebuildInvocation('0123456789abcdef', '/work', ['build', '-t', 'app:1', '.']);
  writeRebuildRecord(f.root, record(f, invocation));
  const found = readRebuildRecord(f.root, invocation);
  assert.ok(found && !('tooBig' in found));
  assert.equal(readRebuildRecord(f.root, rebuildInvocation('0123456789abcdef', '/work', ['build', '.'])), undefined);
  assert.equal(
    readRebuildRecord(f.root, rebuildInvocation('fedcba9876543210', '/work', ['build', '-t', 'app:1', '.'])),
    undefined,
  );

  const env = { FLAVOUR: 'mild' };
  assert.equal(stillUnchanged(found, f.root, env), true);
  assert.equal(stillUnchanged(found, f.root, { FLAVOUR: 'hot' }), false, 'a variable it read changed');
  assert.equal(stillUnchanged(found, f.root, { ...env, SOURCE_DATE_EPOCH: '0' }), false, 'a variable it read was set');
  rmSync(join(f.root, 'oci', 'blobs', 'sha256', 'aa'.repeat(32)));
  assert.equal(stillUnchanged(found, f.root, env), false, 'its image config is gone');
});

test('a record replaces those of other builds of the CLI, and builder prune forgets them all', (t) => {
  const f = fixture(t);
  const old = rebuildInvocation('1111111111111111', '/work', ['build', '.']);
  const current = rebuildInvocation('2222222222222222', '/work', ['build', '.']);
  writeRebuildRecord(f.root, record(f, old));
  assert.ok(readRebuildRecord(f.root, old));
  writeRebuildRecord(f.root, record(f, current));
  assert.equal(readRebuildRecord(f.root, old), undefined, 'the other build of the CLI');
  assert.ok(readRebuildRecord(f.root, current));
  forgetRebuildRecords(f.root);
  assert.equal(readRebuildRecord(f.root, current), undefined);
});
