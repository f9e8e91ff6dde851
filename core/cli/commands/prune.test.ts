import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stevedore } from '../../../testkit/cli.js';
import { loadBoxImage } from '../../../testkit/containerImages.js';
import { makeLayer } from '../../../testkit/layers.js';
import { writeLayout } from '../../../testkit/ociLayout.js';
import { tempDir } from '../../../testkit/tempDir.js';

const work = tempDir();
const root = join(work, 'store');
const ok = (args: string[], input?: string) => {
  const r = stevedore(root, args, input);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const names = () => ok(['container', 'ls', '-a', '--format', '{{.Names}}']).trim().split('\n').filter(Boolean).sort();

describe('prune and system df, as docker', () => {
  before(async () => {
    await loadBoxImage(root, work);
    writeLayout(join(work, 'spare'), [
      { refName: 'localhost/spare:1', layers: [await makeLayer([{ path: 'etc/spare', content: 'x'.repeat(5000) }])] },
    ]);
    ok(['load', '-i', join(work, 'spare')]);
  });

  it('container prune asks first, then removes the stopped containers and says what it gave back', () => {
    ok([
      'run',
      '--name',
      'done-one',
      '--network',
      'none',
      'box:v1',
      'sh',
      '-c',
      'dd if=/dev/zero of=/big bs=1k count=100 2>/dev/null',
    ]);
    ok(['run', '-d', '--name', 'still-up', '--network', 'none', 'box:v1', 'sleep', '600']);
    const declined = ok(['container', 'prune'], 'n\n');
    assert.match(declined, /^WARNING! This will remove all stopped containers\.\nAre you sure you want to continue\? \[y\/N\] $/);
    assert.deepEqual(names(), ['done-one', 'still-up'], 'a no removes nothing');
    const pruned = ok(['container', 'prune', '-f']);
    assert.match(pruned, /^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: \d+(\.\d+)?kB\n$/);
    assert.deepEqual(names(), ['still-up']);
  });

  it('system df counts images, containers, volumes and the build cache', () => {
    const df = ok(['system', 'df']);
    assert.match(df, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE\n/);
    assert.match(df, /^Images\s+2\s+1\s+\S+\s+\S+ \(\d+%\)$/m, 'two images, one in use');
    assert.match(df, /^Containers\s+1\s+1\s+/m);
    assert.match(df, /^Local Volumes\s+0\s+0\s+0B/m);
  });

  it('image prune -a removes the images no container uses, keeps the one in use, and image ls sees it', () => {
    const pruned = ok(['image', 'prune', '-a', '-f']);
    assert.match(
      pruned,
      /^Deleted Images:\nuntagged: localhost\/spare:1\ndeleted: sha256:[0-9a-f]{64}\n\nTotal reclaimed space: \S+\n$/,
    );
    assert.deepEqual(ok(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']), 'box:v1\n');
    ok(['rm', '-f', 'still-up']);
  });
});
