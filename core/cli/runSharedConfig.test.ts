import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stevedore } from '../../testkit/cli.js';
import { busyboxLayer } from '../../testkit/layers.js';
import { writeLayout } from '../../testkit/ociLayout.js';
import { tempDir } from '../../testkit/tempDir.js';

const work = tempDir();
const root = join(work, 'store');
const ok = (args: string[]) => {
  const r = stevedore(root, args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

describe('run NAME and run ID when two stored manifests share one config (a zstd copy beside the gzip one)', () => {
  let id = '';
  before(async () => {
    const layer = await busyboxLayer(['sh', 'echo']);
    // The same config (same diff IDs, same everything): one image ID, two manifests.
    const [gzip, zstd] = writeLayout(join(work, 'twin'), [
      { refName: 'localhost/twin:gzip', gzip: true, layers: [layer], config: { Cmd: ['echo', 'twin'] } },
      { refName: 'localhost/twin:zstd', zstd: true, layers: [layer], config: { Cmd: ['echo', 'twin'] } },
    ]);
    assert.equal(gzip!.configDigest, zstd!.configDigest);
    assert.notEqual(gzip!.manifestDigest, zstd!.manifestDigest);
    id = gzip!.configDigest;
    ok(['load', '-i', join(work, 'twin')]);
  });

  it('runs either name', () => {
    assert.equal(ok(['run', '--rm', 'localhost/twin:gzip']), 'twin\n');
    assert.equal(ok(['run', '--rm', 'localhost/twin:zstd']), 'twin\n');
  });

  it('runs the image ID, whole or a prefix, as docker runs an ID (what runs is the config’s)', () => {
    assert.equal(ok(['run', '--rm', id]), 'twin\n');
    assert.equal(ok(['run', '--rm', id.slice(7, 19)]), 'twin\n');
    const made = ok(['create', id.slice(7, 19)]).trim();
    assert.equal(ok(['start', '-a', made]), 'twin\n');
    ok(['rm', made]);
  });
});
