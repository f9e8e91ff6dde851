import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';
import { formatBytes } from '../text/humanize.js';

const work = tempDir();
const root = join(work, 'store');
const lines = (args: string[]) => {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean);
};

describe('images REPOSITORY, --filter and --format, as docker', () => {
  before(async () => {
    const image = async (refName: string | undefined, created: string) => ({
      ...(refName ? { refName } : {}),
      created,
      layers: [await makeLayer([{ path: `etc/${refName ?? 'none'}`, content: created }])],
    });
    writeLayout(join(work, 'layout'), [
      await image('localhost/app:1', '2021-01-01T00:00:00Z'),
      await image('localhost/app:2', '2022-01-01T00:00:00Z'),
      await image('localhost/tool:1', '2023-01-01T00:00:00Z'),
    ]);
    writeLayout(join(work, 'untagged'), [await image(undefined, '2020-01-01T00:00:00Z')]);
    assert.equal(stevedore(root, ['load', '-i', join(work, 'layout')]).code, 0);
    assert.equal(stevedore(root, ['load', '-i', join(work, 'untagged')]).code, 0);
  });

  const names = (args: string[]) => lines(['images', ...args, '--format', '{{.Repository}}:{{.Tag}}']).sort();

  it('lists one repository, or one tag of it', () => {
    assert.deepEqual(names(['localhost/app']), ['localhost/app:1', 'localhost/app:2']);
    assert.deepEqual(names(['localhost/app:2']), ['localhost/app:2']);
    assert.deepEqual(names(['nosuch']), []);
    assert.equal(stevedore(root, ['images', '-q', 'nosuch']).stdout, '', 'no empty line for an empty list');
  });

  it('filters by reference glob, dangling, before and since; values of one key are alternatives', () => {
    assert.deepEqual(names(['--filter', 'reference=localhost/a*']), ['localhost/app:1', 'localhost/app:2']);
    assert.deepEqual(names(['-f', 'reference=*/app:1', '-f', 'reference=*/tool:*']), ['localhost/app:1', 'localhost/tool:1']);
    assert.deepEqual(names(['-f', 'dangling=true']), ['<none>:<none>']);
    assert.equal(names(['-f', 'dangling=false']).length, 3);
    assert.deepEqual(names(['-f', 'before=localhost/app:2', '-f', 'dangling=false']), ['localhost/app:1']);
    assert.deepEqual(names(['-f', 'since=localhost/app:1']), ['localhost/app:2', 'localhost/tool:1']);
  });

  it('filters by until= (created before a time, or a duration back from now), as docker', () => {
    assert.deepEqual(names(['-f', 'until=2022-06-01T00:00:00Z', '-f', 'dangling=false']), ['localhost/app:1', 'localhost/app:2']);
    assert.deepEqual(names(['-f', 'until=2021-06-01']), ['<none>:<none>', 'localhost/app:1']);
    assert.equal(names(['-f', 'until=1h']).length, 4);
    const r = stevedore(root, ['images', '-f', 'until=soon']);
    assert.equal(r.stderr, 'error: invalid value for "until": failed to parse value as time or duration: "soon"\n');
  });

  it('prints a table of the fields asked for, JSON per line, and digests on request', () => {
    const table = lines(['images', 'localhost/tool', '--format', 'table {{.Repository}}\\t{{.Tag}}\\t{{.CreatedAt}}']);
    assert.deepEqual(table, ['REPOSITORY       TAG   CREATED AT', 'localhost/tool   1     2023-01-01 00:00:00 +0000 UTC']);
    const json = JSON.parse(lines(['images', 'localhost/tool', '--format', '{{json .}}'])[0]!) as Record<string, string>;
    assert.equal(json.Repository, 'localhost/tool');
    assert.match(json.ID ?? '', /^[a-f0-9]{12}$/);
    assert.match(lines(['images', '--digests', 'localhost/tool'])[0]!, /^REPOSITORY\s+TAG\s+DIGEST\s+IMAGE ID/);
  });

  it('refuses an unknown filter or field in one line', () => {
    for (const [args, message] of [
      [
        ['-f', 'colour=red'],
        /^error: invalid filter "colour": the filters here are dangling, reference, before, since, label, until\n$/,
      ],
      [['-f', 'dangling'], /^error: bad format of filter "dangling": expected name=value\n$/],
      [['-f', 'before=nosuch:1'], /^error: no such image: nosuch:1\n$/],
      // A name without a tag is its :latest, as everywhere (not any tag of the repository).
      [['-f', 'before=localhost/app'], /^error: no such image: localhost\/app\n$/],
      [['--format', '{{.Nope}}'], /^error: invalid --format: no field "Nope" here; the fields are ID, /],
    ] as const) {
      const r = stevedore(root, ['images', ...args]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, message);
    }
  });
});

describe('images: docker’s unpacked SIZE, with CONTENT SIZE and SHARED SIZE beside it; --filter label=', () => {
  const sizedRoot = join(work, 'sized-store');
  const run = (args: string[]) => {
    const r = stevedore(sizedRoot, args);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split('\n').filter(Boolean);
  };
  /** Bytes of the blobs of the image's layers, as the layout holds them (gzip). */
  let stored: Record<string, number> = {};

  before(async () => {
    // Unpacked: the files' sizes and the symlink's target (docker counts a link as its target's length).
    const base = await makeLayer([
      { path: 'd/', type: 'directory' },
      { path: 'd/a', content: 'x'.repeat(10_000) },
      { path: 'd/b', type: 'symlink', linkname: 'a' },
    ]);
    const one = await makeLayer([{ path: 'one', content: 'y'.repeat(2_000) }]);
    const two = await makeLayer([{ path: 'two', content: 'z'.repeat(300) }]);
    const dir = join(work, 'sized');
    const written = writeLayout(dir, [
      { refName: 'localhost/sized:one', gzip: true, layers: [base, one], config: { Labels: { tier: 'web', team: 'a' } } },
      { refName: 'localhost/sized:two', gzip: true, layers: [base, two], config: { Labels: { tier: 'db' } } },
    ]);
    const blobSize = (digest: string) => statSync(join(dir, 'blobs', 'sha256', digest.slice(7))).size;
    stored = {
      one: written[0]!.layerDigests.reduce((sum, d) => sum + blobSize(d), 0),
      two: written[1]!.layerDigests.reduce((sum, d) => sum + blobSize(d), 0),
    };
    assert.equal(stevedore(sizedRoot, ['load', '-i', dir]).code, 0);
  });

  it('prints SIZE as the files unpacked, CONTENT SIZE as stored, SHARED SIZE as the unpacked part other images share', () => {
    const rows = run(['images', 'localhost/sized']);
    assert.match(rows[0]!, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\s+CONTENT SIZE\s+SHARED SIZE$/);
    const row = (tag: string) =>
      rows
        .find((r) => r.includes(` ${tag} `))!
        .trim()
        .split(/\s{2,}/);
    assert.deepEqual(row('one').slice(-3), [formatBytes(12_001), formatBytes(stored.one!), formatBytes(10_001)]);
    assert.deepEqual(row('two').slice(-3), [formatBytes(10_301), formatBytes(stored.two!), formatBytes(10_001)]);
  });

  it('gives the sizes to --format as docker names them, and ContentSize', () => {
    const fields = run([
      'images',
      'localhost/sized:one',
      '--format',
      '{{.Size}} {{.VirtualSize}} {{.SharedSize}} {{.UniqueSize}} {{.ContentSize}}',
    ]);
    assert.deepEqual(fields, [[12_001, 12_001, 10_001, 2_000, stored.one!].map((n) => formatBytes(n)).join(' ')]);
  });

  it('filters by label=KEY and label=KEY=VALUE, every label filter must match', () => {
    const tags = (args: string[]) => run(['images', ...args, '--format', '{{.Tag}}']).sort();
    assert.deepEqual(tags(['-f', 'label=tier']), ['one', 'two']);
    assert.deepEqual(tags(['-f', 'label=tier=db']), ['two']);
    assert.deepEqual(tags(['-f', 'label=tier', '-f', 'label=team=a']), ['one']);
    assert.deepEqual(tags(['-f', 'label=nosuch']), []);
  });
});
