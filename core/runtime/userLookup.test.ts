import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testkit/tempDir.js';
import { resolveUser } from './userLookup.js';

/** A rootfs with `app` (1000:1000) in `staff` (50) and `wheel` (10) by /etc/group. */
function rootfs(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n');
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\nwheel:x:10:root,app\nstaff:x:50:app\napp:x:1000:\n');
  return dir;
}

describe('resolveUser', () => {
  it('gives a user name its supplementary groups from /etc/group', () => {
    assert.deepEqual(resolveUser(rootfs(), 'app'), { uid: 1000, gid: 1000, additionalGids: [1000, 10, 50] });
  });

  it('gives a uid that names a passwd entry, without a group, its supplementary groups', () => {
    assert.deepEqual(resolveUser(rootfs(), '1000'), { uid: 1000, gid: 1000, additionalGids: [1000, 10, 50] });
  });

  // runc's GetExecUser (libcontainer/user/user.go): "Supplementary group ids only make sense if
  // in the implicit form", i.e. only when no group is given.
  it('gives an explicit uid:gid no supplementary groups', () => {
    assert.deepEqual(resolveUser(rootfs(), '1000:1000'), { uid: 1000, gid: 1000, additionalGids: [1000] });
  });

  it('gives an explicit user:group by name no supplementary groups', () => {
    assert.deepEqual(resolveUser(rootfs(), 'app:staff'), { uid: 1000, gid: 50, additionalGids: [50] });
  });

  it('keeps root in its group alone', () => {
    assert.deepEqual(resolveUser(rootfs(), ''), { uid: 0, gid: 0, additionalGids: [0] });
    assert.deepEqual(resolveUser(rootfs(), 'root'), { uid: 0, gid: 0, additionalGids: [0, 10] });
  });
});
