import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { stevedore } from '../../../testkit/cli.js';
import { makeLayer } from '../../../testkit/layers.js';
import { writeLayout } from '../../../testkit/ociLayout.js';
import { tempDir } from '../../../testkit/tempDir.js';

const work = tempDir();
const root = join(work, 'store');
const long = `RUN /bin/sh -c echo ${'x'.repeat(60)} # buildkit`;

before(async () => {
  writeLayout(join(work, 'layout'), [
    {
      refName: 'localhost/hist:1',
      layers: [await makeLayer([{ path: 'a', content: 'a'.repeat(3000) }]), await makeLayer([{ path: 'b', content: 'b' }])],
      history: [{ created_by: 'ADD rootfs /' }, { created_by: 'ENV A=1', empty_layer: true }, { created_by: long }],
    },
  ]);
  assert.equal(stevedore(root, ['load', '-i', join(work, 'layout')]).code, 0);
});

it('history lists the steps newest first, the image ID on top, sizes only for steps that made layers', () => {
  const r = stevedore(root, ['history', 'localhost/hist:1']);
  assert.equal(r.code, 0, r.stderr);
  const [header, ...rows] = r.stdout.trim().split('\n');
  assert.match(header!, /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
  assert.equal(rows.length, 3);
  assert.match(rows[0]!, /^[0-9a-f]{12}\s+N\/A\s+RUN \/bin\/sh -c echo x+…\s+\d+(\.\d+)?kB$/);
  assert.match(rows[1]!, /^<missing>\s+N\/A\s+ENV A=1\s+0B$/);
  assert.match(rows[2]!, /^<missing>\s+N\/A\s+ADD rootfs \/\s+\d+(\.\d+)?kB$/);
  const full = stevedore(root, ['image', 'history', '--no-trunc', '--format', '{{.CreatedBy}}', 'localhost/hist:1']);
  assert.deepEqual(full.stdout.trim().split('\n'), [long, 'ENV A=1', 'ADD rootfs /']);
});
