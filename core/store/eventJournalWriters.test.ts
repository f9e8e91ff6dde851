import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import lockfile from 'proper-lockfile';
import { stevedore } from '../../testkit/cli.js';
import { tempDir } from '../../testkit/tempDir.js';
import { JOURNAL_MAX_BYTES, JournalReader, journalCutLock, journalPaths, recordEvent } from './eventJournal.js';

const journalModule = pathToFileURL(join(import.meta.dirname, 'eventJournal.ts')).href;

/**
 * A writer in its own process. For each root in turn it says it is ready, waits for that root's go
 * file (so that both writers reach the cut together), then records `count` events.
 */
const writerSource = `
import { existsSync } from 'node:fs';
import { recordEvent } from ${JSON.stringify(journalModule)};
const [name, go, count, ...roots] = process.argv.slice(1);
for (const [r, root] of roots.entries()) {
  process.stdout.write('ready\\n');
  while (!existsSync(go + r)) {}
  for (let i = 0; i < Number(count); i++) recordEvent(root, { Type: 'volume', Action: 'create', id: name + '-' + i });
}
`;

function startWriter(name: string, go: string, count: number, roots: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', writerSource, name, go, String(count), ...roots],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let readyLines = 0;
  let wake = () => {};
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    readyLines += chunk.split('\n').length - 1;
    wake();
  });
  /** Resolves once the writer waits at round `r`. */
  const ready = (r: number) =>
    new Promise<void>((resolve) => {
      wake = () => readyLines > r && resolve();
      wake();
    });
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { ready, done };
}

describe('the event journal written by several processes', () => {
  it('loses no event when two processes cut the journal at the same moment', async () => {
    // Each store's journal starts just past the limit, so both writers' first events cut it: a
    // cut made twice would throw away the full old file, or an event whose file was moved away.
    const rounds = 30;
    const perWriter = 3;
    const roots = Array.from({ length: rounds }, () => tempDir());
    for (const root of roots) {
      recordEvent(root, {
        Type: 'volume',
        Action: 'create',
        id: 'before',
        attributes: { pad: 'x'.repeat(JOURNAL_MAX_BYTES + 1) },
      });
    }
    const go = join(tempDir(), 'go-');
    const names = ['a', 'b'];
    const writers = names.map((name) => startWriter(name, go, perWriter, roots));
    for (let r = 0; r < rounds; r++) {
      await Promise.all(writers.map((w) => w.ready(r)));
      writeFileSync(go + r, '');
    }
    assert.deepEqual(
      await Promise.all(writers.map((w) => w.done)),
      names.map(() => 0),
    );

    const expected = ['before', ...names.flatMap((w) => Array.from({ length: perWriter }, (_, i) => `${w}-${i}`))].sort();
    for (const [n, root] of roots.entries()) {
      const seen = new JournalReader(root).readAll().map((e) => e.Actor.ID);
      assert.deepEqual(seen.sort(), expected, `round ${n}: every event is still in the journal`);
    }
    // And as `events` shows them.
    const until = String(Math.ceil(Date.now() / 1000) + 1);
    const r = stevedore(roots[0] as string, ['events', '--since', '0', '--until', until, '--format', '{{.Actor.ID}}']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), expected);
  });

  it('leaves the cut to the process already making it', async () => {
    // The race above, made certain: another process holds the cut while `volume create` records
    // its event into a journal past the limit. Cutting it again would replace the old file.
    const root = tempDir();
    recordEvent(root, { Type: 'volume', Action: 'create', id: 'before', attributes: { pad: 'x'.repeat(JOURNAL_MAX_BYTES + 1) } });
    const { current, previous } = journalPaths(root);
    const sizeBefore = statSync(current).size;
    mkdirSync(dirname(journalCutLock(root)), { recursive: true });
    const release = await lockfile.lock(journalCutLock(root), { realpath: false });
    try {
      const r = stevedore(root, ['volume', 'create', 'during']);
      assert.equal(r.code, 0, r.stderr);
    } finally {
      await release();
    }
    assert.equal(existsSync(previous), false, 'the journal was not cut while another process was cutting it');
    assert.ok(statSync(current).size > sizeBefore);
    // Once free, the next event cuts it, and both are kept.
    assert.equal(stevedore(root, ['volume', 'create', 'after']).code, 0);
    assert.ok(existsSync(previous));
    assert.deepEqual(
      new JournalReader(root).readAll().map((e) => e.Actor.ID),
      ['before', 'during', 'after'],
    );
  });
});
