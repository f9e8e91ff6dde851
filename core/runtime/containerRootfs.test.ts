import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { isMounted } from '../system/mountTable.js';
import { mountRootfs, unmountRootfs } from './containerRootfs.js';

// Each way of making a container's root filesystem, asked for by name as a user would
// (STEVEDORE_ROOTFS), on real mounts: the container sees the image's files, its writes land in
// its own directory, and the image's snapshot never changes.
/** The filesystem mounted at `path`: its type and its options (mountinfo's fields after " - "), or null. */
function mountOf(path: string): { type: string; options: string[] } | null {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [mount, fs] = line.split(' - ');
    if (mount?.split(' ')[4] !== path || !fs) continue;
    const [type = '', , options = ''] = fs.split(' ');
    return { type, options: options.split(',') };
  }
  return null;
}
const mountType = (path: string) => mountOf(path)?.type ?? null;
/** Whether the overlay at `path` skips syncs: `volatile`, which newer kernels show as `fsync=volatile`. */
const isVolatile = (path: string) => mountOf(path)?.options.some((o) => o === 'volatile' || o === 'fsync=volatile');

const skip = process.getuid?.() !== 0 ? 'mounting needs root (the rootless suite covers a user namespace)' : false;

describe('container root filesystems', { skip }, () => {
  const work = tempDir();
  const asked = process.env.STEVEDORE_ROOTFS;
  after(() => {
    if (asked === undefined) delete process.env.STEVEDORE_ROOTFS;
    else process.env.STEVEDORE_ROOTFS = asked;
  });

  const lower = join(work, 'snapshot');
  mkdirSync(join(lower, 'etc'), { recursive: true });
  writeFileSync(join(lower, 'etc', 'motd'), 'from the image\n');

  for (const driver of ['overlay', 'fuse-overlayfs', 'copy']) {
    it(`${driver}: shows the image's files and keeps the container's writes out of the snapshot`, async (t) => {
      process.env.STEVEDORE_ROOTFS = driver;
      const dir = join(work, driver);
      mkdirSync(dir);
      const rootfs = await mountRootfs(dir, lower);
      t.after(() => unmountRootfs(dir));
      assert.equal(readFileSync(join(rootfs, 'etc', 'motd'), 'utf8'), 'from the image\n');
      writeFileSync(join(rootfs, 'etc', 'motd'), 'changed by the container\n');
      writeFileSync(join(rootfs, 'new'), 'new\n');
      assert.equal(readFileSync(join(lower, 'etc', 'motd'), 'utf8'), 'from the image\n', 'the snapshot is unchanged');
      assert.deepEqual(readdirSync(lower).sort(), ['etc']);
      if (driver === 'copy') {
        assert.equal(mountType(rootfs), null, 'a copy, not a mount');
      } else {
        assert.equal(mountType(rootfs), driver === 'overlay' ? 'overlay' : 'fuse.fuse-overlayfs');
        assert.equal(readFileSync(join(dir, 'upper', 'new'), 'utf8'), 'new\n', 'writes land in the upper directory');
        await unmountRootfs(dir);
        assert.equal(isMounted(rootfs), false, 'unmounted');
        assert.equal(existsSync(join(rootfs, 'new')), false);
      }
    });
  }

  it("mounts a --rm container's overlay volatile, a kept one's not, and a --rm one again after its unmount", async (t) => {
    process.env.STEVEDORE_ROOTFS = 'overlay';
    const [kept, scratch] = [join(work, 'kept'), join(work, 'scratch')];
    mkdirSync(kept);
    mkdirSync(scratch);
    t.after(() => Promise.all([unmountRootfs(kept), unmountRootfs(scratch)]));
    const keptRoot = await mountRootfs(kept, lower);
    assert.equal(isVolatile(keptRoot), false, 'a kept container’s changes are synced');
    for (const round of [1, 2]) {
      const rootfs = await mountRootfs(scratch, lower, true);
      assert.equal(isVolatile(rootfs), true, `mount ${round}: the upper directory is thrown away, so nothing is synced`);
      writeFileSync(join(rootfs, `written-${round}`), 'x');
      await unmountRootfs(scratch);
      assert.equal(isMounted(rootfs), false);
    }
    assert.deepEqual(readdirSync(join(scratch, 'upper')).sort(), ['written-1', 'written-2']);
  });

  it('says in one line which drivers there are when STEVEDORE_ROOTFS names another', async () => {
    process.env.STEVEDORE_ROOTFS = 'zfs';
    await assert.rejects(mountRootfs(join(work, 'zfs'), lower), {
      code: 'INVALID_ARGUMENT',
      message: 'invalid STEVEDORE_ROOTFS "zfs": use overlay, fuse-overlayfs or copy',
    });
  });
});
