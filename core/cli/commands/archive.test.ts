import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { cliPath, stevedore } from '../../../testkit/cli.js';
import { makeLayer } from '../../../testkit/layers.js';
import { writeLayout } from '../../../testkit/ociLayout.js';
import { tempDir } from '../../../testkit/tempDir.js';

const work = tempDir();
const from = join(work, 'from');
const to = join(work, 'to');
const tmp = join(work, 'tmp');

/** The CLI with binary standard input and output, and a TMPDIR of the test's own to look into. */
function pipe(root: string, args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [cliPath, '--root', root, ...args], {
    input,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp },
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

describe('save to standard output and load from standard input, as docker', () => {
  before(async () => {
    mkdirSync(tmp, { recursive: true });
    writeLayout(join(work, 'layout'), [
      { refName: 'localhost/piped:1', layers: [await makeLayer([{ path: 'etc/piped', content: 'yes\n' }])] },
    ]);
    assert.equal(stevedore(from, ['load', '-i', join(work, 'layout')]).code, 0);
  });

  it('round-trips an image through a pipe: save with no -o, load with no -i, -q quiet', () => {
    const saved = pipe(from, ['save', 'localhost/piped:1']);
    assert.equal(saved.code, 0, saved.stderr);
    assert.ok(saved.stdout.length > 1024, 'a tar on standard output');
    const loaded = pipe(to, ['load'], saved.stdout);
    assert.deepEqual([loaded.code, loaded.stdout.toString(), loaded.stderr], [0, 'Loaded image: localhost/piped:1\n', '']);
    const quiet = pipe(join(work, 'quiet'), ['load', '-q'], saved.stdout);
    assert.deepEqual([quiet.code, quiet.stdout.toString()], [0, '']);
    assert.match(stevedore(to, ['images', 'localhost/piped']).stdout, /localhost\/piped\s+1/);
    assert.deepEqual(readdirSync(tmp), [], 'what stdin was written to is gone');
  });

  it('says what is wrong with standard input, not with a temporary file', () => {
    const empty = pipe(to, ['load'], Buffer.alloc(0));
    assert.deepEqual([empty.code, empty.stderr], [1, 'error: requested load from stdin, but stdin is empty\n']);
    const garbage = pipe(to, ['load'], Buffer.from('not an archive\n'));
    assert.equal(garbage.stderr, 'error: standard input is not an OCI layout, OCI archive or docker archive\n');
    assert.deepEqual(readdirSync(tmp), []);
  });
});
