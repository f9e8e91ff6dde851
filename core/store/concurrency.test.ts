import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliPath, stevedore, stevedoreAsync } from '../../testkit/cli.js';
import { busyboxLayer, makeLayer, randomLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';

const references = (root: string) =>
  (JSON.parse(stevedore(root, ['images', '--json']).stdout) as { reference: string }[]).map((i) => i.reference).sort();

describe('several processes on one store', () => {
  it('two loads at once both land, sharing their base layer, and fsck is clean', async () => {
    const work = tempDir();
    const base = await busyboxLayer();
    const layouts = await Promise.all(
      ['one', 'two', 'three', 'four'].map(async (name) => {
        const dir = join(work, name);
        writeLayout(dir, [{ refName: name, layers: [base, await makeLayer([{ path: `${name}.txt`, content: name }])] }]);
        return dir;
      }),
    );
    const root = join(work, 'store');
    const results = await Promise.all(layouts.map((dir) => stevedoreAsync(root, ['load', '-i', dir, '--name', 'app'])));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(references(root), ['one', 'three', 'two', 'four'].map((t) => `docker.io/library/app:${t}`).sort());
    assert.equal(stevedore(root, ['fsck']).code, 0);
  });

  it('twelve tags written at once: none is lost', async () => {
    const work = tempDir();
    const root = join(work, 'store');
    writeLayout(join(work, 'l'), [{ refName: 'v1', layers: [await makeLayer([{ path: 'f', content: 'f' }])] }]);
    assert.equal(stevedore(root, ['load', '-i', join(work, 'l'), '--name', 'base']).code, 0);
    const names = Array.from({ length: 12 }, (_, i) => `copy/n${i}:t`);
    const results = await Promise.all(names.map((n) => stevedoreAsync(root, ['tag', 'base:v1', n])));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(references(root), ['docker.io/library/base:v1', ...names.map((n) => `docker.io/${n}`)].sort());
  });

  it('kill -9 in the middle of a 200 MB load leaves no temp file, a clean fsck, and the image absent or whole', async () => {
    const work = tempDir();
    const layout = join(work, 'big');
    const layers = await Promise.all([0, 1, 2, 3].map(() => randomLayer(50 << 20)));
    writeLayout(layout, [{ refName: 'big', layers }]);
    const root = join(work, 'store');
    const child = spawn(process.execPath, [cliPath, '--root', root, 'load', '-i', layout, '--name', 'big'], { stdio: 'ignore' });
    const ingest = join(root, 'tmp', 'ingest');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(existsSync(ingest) && readdirSync(ingest).length > 0)) await sleep(2);
    assert.ok(readdirSync(ingest).length > 0, 'the load was caught mid-ingest');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));

    const after = references(root); // the next run of any command cleans up
    assert.deepEqual(readdirSync(ingest), [], 'no temp file is left');
    assert.equal(stevedore(root, ['fsck']).code, 0);
    assert.ok(after.length === 0 || after[0] === 'docker.io/library/big:big');
    const retry = stevedore(root, ['load', '-i', layout, '--name', 'big']);
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal(stevedore(root, ['fsck']).code, 0);
  });
});
