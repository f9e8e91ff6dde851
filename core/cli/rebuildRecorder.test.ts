import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BuildDetail } from '../api/builds.schema.js';
import { MAX_LISTED_ENTRIES, readRebuildRecord, rebuildInvocation } from '../builder/unchangedRebuild.js';
import { startRebuildRecord } from './rebuildRecorder.js';

const BUNDLE = '0123456789abcdef';
/** A build started long after the fixture's files were written: its files have settled. */
const settled = Date.UTC(2100, 0, 1);
const result = { imageId: `sha256:${'a'.repeat(64)}`, manifestDigest: `sha256:${'b'.repeat(64)}`, tags: ['app:1'], warnings: [] };

function fixture(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'stevedore-recorder-'));
  const saved = globalThis.__stevedoreBundleHash;
  globalThis.__stevedoreBundleHash = BUNDLE;
  t.after(() => {
    globalThis.__stevedoreBundleHash = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  const root = join(dir, 'store');
  const contextDir = join(dir, 'context');
  mkdirSync(join(root, 'oci'), { recursive: true });
  mkdirSync(contextDir);
  writeFileSync(join(root, 'oci', 'index.json'), '{}');
  writeFileSync(join(contextDir, 'Dockerfile'), 'FROM base\n');
  const dockerfile = join(contextDir, 'Dockerfile');
  const history: BuildDetail = {
    buildId: '00000000000000aa',
    contextDir,
    dockerfile,
    tags: ['app:1'],
    buildArgs: {},
    target: null,
    noCache: false,
    state: 'done',
    startedAt: new Date().toISOString(),
    endedAt: new Date().toISOString(),
    imageId: result.imageId,
    error: null,
    stepCount: 1,
    cachedCount: 0,
    steps: [],
    output: [],
  };
  const recording = { root, contextDir, dockerfile, envNames: ['SOURCE_DATE_EPOCH'], quiet: false, iidfile: null };
  const invocation = rebuildInvocation(BUNDLE, process.cwd(), process.argv.slice(2));
  return { root, contextDir, history, recording, invocation };
}

test('a build that changed nothing it read leaves a record of itself', (t) => {
  const f = fixture(t);
  const recorder = startRebuildRecord(f.recording, settled);
  assert.ok(recorder);
  recorder.step({ step: 1, title: '[1/1] FROM base', state: 'done', durationMs: 1, error: null });
  recorder.finish(result, () => f.history);
  const record = readRebuildRecord(f.root, f.invocation);
  assert.ok(record && !('tooBig' in record));
  assert.equal(record.imageId, result.imageId);
  assert.deepEqual(
    record?.events.map((e) => e.title),
    ['[1/1] FROM base'],
  );
  assert.equal(Object.hasOwn(record.history, 'buildId'), false, 'a replay gives its build an ID of its own');
});

test('a build whose context changed while it ran leaves no record', (t) => {
  const f = fixture(t);
  const recorder = startRebuildRecord(f.recording, settled);
  writeFileSync(join(f.contextDir, 'late.txt'), 'written during the build');
  recorder?.finish(result, () => f.history);
  assert.equal(readRebuildRecord(f.root, f.invocation), undefined);
});

test('a CLI not started by its launcher records nothing', (t) => {
  const f = fixture(t);
  globalThis.__stevedoreBundleHash = undefined;
  assert.equal(startRebuildRecord(f.recording, settled), undefined);
});

test('a context too big to list is not walked again until its .dockerignore changes', (t) => {
  const f = fixture(t);
  mkdirSync(join(f.contextDir, 'vendor'));
  for (let i = 0; i <= MAX_LISTED_ENTRIES; i++) writeFileSync(join(f.contextDir, 'vendor', `${i}`), '');
  assert.equal(startRebuildRecord(f.recording, settled), undefined);
  const record = readRebuildRecord(f.root, f.invocation);
  assert.ok(record && 'tooBig' in record, 'the record says it is too big');
  assert.equal(startRebuildRecord(f.recording, settled), undefined);
  writeFileSync(join(f.contextDir, '.dockerignore'), 'vendor\n');
  const recorder = startRebuildRecord(f.recording, settled);
  assert.ok(recorder, 'with vendor left out, the context is listed');
  recorder.finish(result, () => f.history);
  const listed = readRebuildRecord(f.root, f.invocation);
  assert.ok(listed && 'imageId' in listed && listed.imageId === result.imageId);
});

test('a build whose files changed just before it leaves no record', (t) => {
  const f = fixture(t);
  writeFileSync(join(f.contextDir, 'Dockerfile'), 'FROM base\n');
  const recorder = startRebuildRecord(f.recording);
  assert.equal(recorder, undefined);
  assert.ok(startRebuildRecord(f.recording, settled), 'the same files, long after');
});
