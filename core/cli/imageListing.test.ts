import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { makeLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';

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
      [['-f', 'colour=red'], /^error: invalid filter "colour": the filters here are dangling, reference, before, since\n$/],
      [['-f', 'dangling'], /^error: bad format of filter "dangling": expected name=value\n$/],
      [['-f', 'before=nosuch:1'], /^error: no such image: nosuch:1\n$/],
      [['--format', '{{.Nope}}'], /^error: invalid --format: no field "Nope" here; the fields are ID, /],
    ] as const) {
      const r = stevedore(root, ['images', ...args]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, message);
    }
  });
});
